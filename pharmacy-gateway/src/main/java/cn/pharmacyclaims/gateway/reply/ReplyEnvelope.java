package cn.pharmacyclaims.gateway.reply;

import cn.pharmacyclaims.common.events.SettlementReply;
import cn.pharmacyclaims.common.events.SettlementStatus;
import cn.pharmacyclaims.common.json.Json;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * A {@link SettlementReply} as far as the gateway needs it: who it is for, its outcome and detail,
 * and the result as the JSON text settlement wrote (written by the same {@link Json} rules from
 * the same record, so it is exactly what re-serialising the parsed result would give; the POS
 * gets it as is, without a bind and re-write of every amount and date). Read with a streaming
 * parser: the result is only walked through for its status.
 *
 * @param resultJson   the {@code result} object's JSON text, or null when the reply has none
 * @param resultStatus the result's status, or null
 */
public record ReplyEnvelope(String commandId, String replyTo, SettlementReply.Outcome outcome, String detail,
                            String resultJson, SettlementStatus resultStatus) {

    private static final JsonFactory FACTORY = Json.MAPPER.getFactory();

    /**
     * Reads a reply as settlement produces it. Throws {@link UncheckedIOException} for what is not
     * a reply (not JSON, not an object, an unknown outcome or status), as binding it would have.
     */
    public static ReplyEnvelope parse(byte[] json) {
        try (JsonParser p = FACTORY.createParser(json)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new IOException("a reply must be a JSON object");
            }
            String commandId = null;
            String replyTo = null;
            SettlementReply.Outcome outcome = null;
            String detail = null;
            String resultJson = null;
            SettlementStatus status = null;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken value = p.nextToken();
                switch (field) {
                    case "commandId" -> commandId = text(p, value);
                    case "replyTo" -> replyTo = text(p, value);
                    case "outcome" -> outcome = value == JsonToken.VALUE_NULL ? null : enumValue(SettlementReply.Outcome.class, text(p, value));
                    case "detail" -> detail = text(p, value);
                    case "result" -> {
                        if (value == JsonToken.START_OBJECT) {
                            int start = (int) p.currentTokenLocation().getByteOffset();
                            status = resultStatus(p);
                            int end = (int) p.currentTokenLocation().getByteOffset();
                            resultJson = new String(json, start, end - start + 1, StandardCharsets.UTF_8);
                        } else if (value != JsonToken.VALUE_NULL) {
                            throw new IOException("result must be an object");
                        }
                    }
                    default -> p.skipChildren();
                }
            }
            if (p.currentToken() != JsonToken.END_OBJECT) {
                throw new IOException("a reply must be one JSON object");
            }
            return new ReplyEnvelope(commandId, replyTo, outcome, detail, resultJson, status);
        } catch (IOException | IllegalArgumentException e) {
            throw new UncheckedIOException(e instanceof IOException io ? io : new IOException(e.getMessage(), e));
        }
    }

    /** The envelope of a reply object (tests, and anything that holds the record rather than the bytes). */
    public static ReplyEnvelope of(SettlementReply reply) {
        return parse(Json.write(reply).getBytes(StandardCharsets.UTF_8));
    }

    /** Walks the result object up to its end, keeping only its status. */
    private static SettlementStatus resultStatus(JsonParser p) throws IOException {
        SettlementStatus status = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken value = p.nextToken();
            if ("status".equals(field) && value != JsonToken.VALUE_NULL) {
                status = enumValue(SettlementStatus.class, text(p, value));
            } else {
                p.skipChildren();
            }
        }
        return status;
    }

    private static String text(JsonParser p, JsonToken value) throws IOException {
        if (value == JsonToken.VALUE_NULL) {
            return null;
        }
        if (value != JsonToken.VALUE_STRING) {
            throw new IOException(p.currentName() + " must be a string");
        }
        return p.getText();
    }

    private static <E extends Enum<E>> E enumValue(Class<E> type, String name) {
        return Enum.valueOf(type, name);
    }
}
