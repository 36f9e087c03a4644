package cn.pharmacyclaims.gateway.validation;

import cn.pharmacyclaims.platform.web.Problem;
import com.fasterxml.jackson.databind.JsonNode;

import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Collects every bad field of one body (POS-API.md: the problem names every bad field) instead of
 * stopping at the first. A JSON {@code null} counts as absent. Paths are JSON paths as the POS
 * wrote them: {@code insured.certNo}, {@code lines[0].quantity}.
 */
final class FieldChecks {
    /** Free text longer than this is refused: nothing in the contract comes near it. */
    static final int MAX_TEXT = 128;
    /** Decimals up to 10^10: far above any price or quantity, below any storage overflow. */
    private static final int MAX_INTEGER_DIGITS = 10;
    private static final Pattern PLAIN_DECIMAL = Pattern.compile("[0-9]+(\\.[0-9]+)?");

    private final List<Problem.FieldError> errors = new ArrayList<>();

    void add(String field, String message) {
        errors.add(new Problem.FieldError(field, message));
    }

    List<Problem.FieldError> errors() {
        return List.copyOf(errors);
    }

    static JsonNode field(JsonNode parent, String name) {
        JsonNode v = parent == null ? null : parent.get(name);
        return v == null || v.isNull() ? null : v;
    }

    static String path(String prefix, String name) {
        return prefix.isEmpty() ? name : prefix + "." + name;
    }

    /** The object, or null (with an error when required or of another type). */
    JsonNode object(JsonNode parent, String prefix, String name, boolean required) {
        JsonNode v = field(parent, name);
        if (v == null) {
            if (required) {
                add(path(prefix, name), "is required");
            }
            return null;
        }
        if (!v.isObject()) {
            add(path(prefix, name), "must be an object");
            return null;
        }
        return v;
    }

    /** The string (non-blank, at most {@link #MAX_TEXT} characters), or null. */
    String text(JsonNode parent, String prefix, String name, boolean required) {
        JsonNode v = field(parent, name);
        String p = path(prefix, name);
        if (v == null) {
            if (required) {
                add(p, "is required");
            }
            return null;
        }
        if (!v.isTextual()) {
            add(p, "must be a string");
            return null;
        }
        String s = v.textValue();
        if (required && s.isBlank()) {
            add(p, "must not be blank");
            return null;
        }
        if (s.length() > MAX_TEXT) {
            add(p, "must be at most " + MAX_TEXT + " characters");
            return null;
        }
        return s;
    }

    Boolean bool(JsonNode parent, String prefix, String name) {
        JsonNode v = field(parent, name);
        if (v == null) {
            return null;
        }
        if (!v.isBoolean()) {
            add(path(prefix, name), "must be true or false");
            return null;
        }
        return v.booleanValue();
    }

    /** A JSON integer greater than 0 (not a string, not 7.0). */
    Integer positiveInt(JsonNode parent, String prefix, String name, boolean required) {
        JsonNode v = field(parent, name);
        String p = path(prefix, name);
        if (v == null) {
            if (required) {
                add(p, "is required");
            }
            return null;
        }
        if (!v.isIntegralNumber() || !v.canConvertToInt() || v.intValue() <= 0) {
            add(p, "must be a positive integer");
            return null;
        }
        return v.intValue();
    }

    /** ISO-8601 date-time with offset, e.g. 2026-11-23T10:15:00+08:00. */
    OffsetDateTime offsetDateTime(JsonNode parent, String prefix, String name, boolean required) {
        String p = path(prefix, name);
        JsonNode v = field(parent, name);
        if (v == null) {
            if (required) {
                add(p, "is required");
            }
            return null;
        }
        if (!v.isTextual()) {
            add(p, "must be an ISO-8601 date-time with offset");
            return null;
        }
        try {
            return IsoDateTimes.parseOffsetDateTime(v.textValue());
        } catch (DateTimeParseException e) {
            add(p, "must be an ISO-8601 date-time with offset, e.g. 2026-11-23T10:15:00+08:00");
            return null;
        }
    }

    /**
     * CLM-10: an exact, non-negative decimal, given as a JSON string ("12.3400") or a JSON number
     * read exactly (the tree holds BigDecimal, never a double). {@code maxScale} &lt; 0 means any.
     */
    BigDecimal decimal(JsonNode parent, String prefix, String name, boolean required, int maxScale) {
        String p = path(prefix, name);
        JsonNode v = field(parent, name);
        if (v == null) {
            if (required) {
                add(p, "is required");
            }
            return null;
        }
        BigDecimal d;
        if (v.isTextual()) {
            if (!PLAIN_DECIMAL.matcher(v.textValue()).matches()) {
                add(p, "must be a decimal such as \"12.30\"");
                return null;
            }
            d = new BigDecimal(v.textValue());
        } else if (v.isNumber()) {
            d = v.decimalValue();
            if (d.signum() < 0) {
                add(p, "must not be negative");
                return null;
            }
        } else {
            add(p, "must be a decimal such as \"12.30\"");
            return null;
        }
        if (d.precision() - d.scale() > MAX_INTEGER_DIGITS) {
            add(p, "is too large");
            return null;
        }
        if (maxScale >= 0 && d.scale() > maxScale) {
            add(p, "must have at most " + maxScale + " decimals");
            return null;
        }
        return d;
    }
}
