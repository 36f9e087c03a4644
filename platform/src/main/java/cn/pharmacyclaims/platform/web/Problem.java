package cn.pharmacyclaims.platform.web;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.List;

/**
 * RFC 9457 problem details ({@code application/problem+json}). {@code errors} names every bad
 * field or row; {@code code} carries a machine-readable reason such as DUPLICATE_MSG_ID_CONFLICT.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(String type, String title, int status, String detail, String instance, String code,
                      List<FieldError> errors) {

    public static final String MEDIA_TYPE = "application/problem+json";

    /** {@code field} is a JSON path such as {@code lines[2].quantity}, or {@code [3].code} for a bad import row. */
    public record FieldError(String field, String message) {
    }

    public static Problem of(int status, String title, String detail) {
        return new Problem("about:blank", title, status, detail, null, null, null);
    }

    public static Problem invalid(String detail, List<FieldError> errors) {
        return new Problem("about:blank", "Invalid request", 400, detail, null, null, errors);
    }

    public Problem withCode(String c) {
        return new Problem(type, title, status, detail, instance, c, errors);
    }
}
