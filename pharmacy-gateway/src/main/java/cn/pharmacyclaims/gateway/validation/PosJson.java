package cn.pharmacyclaims.gateway.validation;

import cn.pharmacyclaims.common.json.Json;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;

import java.io.IOException;

/**
 * Reads a POS body as the bytes that were signed. The tree keeps every JSON number exactly
 * (BigDecimal, trailing zeros included: never a double), refuses duplicate keys (two readers
 * must never see two different values for one signed field) and trailing garbage. Conversion to
 * the records uses the same rules as {@link Json}.
 */
public final class PosJson {
    private PosJson() {
    }

    public static final ObjectMapper MAPPER = Json.configure(new ObjectMapper())
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .setNodeFactory(JsonNodeFactory.withExactBigDecimals(true));

    /** The parsed body, or the reason it is not JSON. An empty body is {@code node == null, error == null}. */
    public record Parsed(JsonNode node, String error) {
        public boolean empty() {
            return node == null && error == null;
        }

        /** A top-level text field, if the body is an object that has it as a string. */
        public String text(String field) {
            JsonNode v = node == null ? null : node.get(field);
            return v != null && v.isTextual() ? v.textValue() : null;
        }
    }

    public static Parsed parse(byte[] body) {
        if (body == null || body.length == 0) {
            return new Parsed(null, null);
        }
        try {
            JsonNode node = MAPPER.readTree(body);
            if (node == null || node.isMissingNode()) {
                return new Parsed(null, null);
            }
            return new Parsed(node, null);
        } catch (JsonProcessingException e) {
            return new Parsed(null, "malformed JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            return new Parsed(null, "unreadable body");
        }
    }

    public static <T> T convert(JsonNode node, Class<T> type) {
        try {
            return MAPPER.treeToValue(node, type);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e.getOriginalMessage(), e);
        }
    }
}
