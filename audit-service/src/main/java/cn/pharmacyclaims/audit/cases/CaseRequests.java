package cn.pharmacyclaims.audit.cases;

import cn.pharmacyclaims.common.events.ViolationAlert.BehaviourType;
import cn.pharmacyclaims.common.money.Money;
import cn.pharmacyclaims.platform.web.Problem;
import cn.pharmacyclaims.platform.web.ProblemException;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * The bodies of the case API and their validation (plain Java): every bad field is named in one
 * 400 problem, and nothing is changed (AUD-20, AUD-23).
 */
public final class CaseRequests {
    public static final int MAX_ALERTS = 100;
    public static final int MAX_TITLE = 200;
    public static final int MAX_TEXT = 4000;
    /** NUMERIC(14,2). */
    private static final BigDecimal MAX_AMOUNT = new BigDecimal("999999999999.99");

    private CaseRequests() {
    }

    /** {@code POST /api/v1/cases}. */
    public record OpenCase(List<String> alertIds, String title, String note) {
    }

    /** {@code POST /api/v1/cases/{caseId}/notes}: a note, and optionally a reference to evidence (document, photo). */
    public record AddNote(String note, String evidence) {
    }

    /**
     * {@code POST /api/v1/cases/{caseId}/close}. outcome CONFIRMED: violatingAmount and category required,
     * penaltyAmount and reason optional. outcome DISMISSED: reason required.
     */
    public record CloseCase(String outcome, BigDecimal violatingAmount, String category, BigDecimal penaltyAmount,
                            String reason) {
    }

    /** A valid opening: distinct alert ids in the order given. */
    public record Opening(List<UUID> alertIds, String title, String note) {
    }

    public record Note(String note, String evidence) {
    }

    public sealed interface Closing permits Confirm, Dismiss {
        String reason();
    }

    public record Confirm(BigDecimal violatingAmount, BehaviourType category, BigDecimal penaltyAmount, String reason)
            implements Closing {
    }

    public record Dismiss(String reason) implements Closing {
    }

    public static Opening opening(OpenCase r) {
        List<Problem.FieldError> errors = new ArrayList<>();
        if (r == null) {
            throw ProblemException.badRequest("a body {alertIds, title, note} is required",
                    List.of(new Problem.FieldError("$", "is required")));
        }
        List<UUID> ids = new ArrayList<>();
        if (r.alertIds() == null || r.alertIds().isEmpty()) {
            errors.add(new Problem.FieldError("alertIds", "must name at least one alert"));
        } else if (r.alertIds().size() > MAX_ALERTS) {
            errors.add(new Problem.FieldError("alertIds", "at most " + MAX_ALERTS + " alerts per case"));
        } else {
            Set<UUID> seen = new HashSet<>();
            for (int i = 0; i < r.alertIds().size(); i++) {
                String s = r.alertIds().get(i);
                UUID id = uuid(s);
                if (id == null) {
                    errors.add(new Problem.FieldError("alertIds[" + i + "]", "must be an alert id (UUID)"));
                } else if (!seen.add(id)) {
                    errors.add(new Problem.FieldError("alertIds[" + i + "]", "names the same alert twice"));
                } else {
                    ids.add(id);
                }
            }
        }
        String title = text("title", r.title(), true, MAX_TITLE, errors);
        String note = text("note", r.note(), false, MAX_TEXT, errors);
        fail(errors);
        return new Opening(List.copyOf(ids), title, note);
    }

    public static Note note(AddNote r) {
        if (r == null) {
            throw ProblemException.badRequest("a body {note, evidence} is required", List.of(new Problem.FieldError("$", "is required")));
        }
        List<Problem.FieldError> errors = new ArrayList<>();
        String note = text("note", r.note(), true, MAX_TEXT, errors);
        String evidence = text("evidence", r.evidence(), false, MAX_TEXT, errors);
        fail(errors);
        return new Note(note, evidence);
    }

    public static Closing closing(CloseCase r) {
        if (r == null) {
            throw ProblemException.badRequest("a body {outcome, ...} is required", List.of(new Problem.FieldError("$", "is required")));
        }
        List<Problem.FieldError> errors = new ArrayList<>();
        String outcome = r.outcome() == null ? "" : r.outcome().trim().toUpperCase(Locale.ROOT);
        switch (outcome) {
            case "CONFIRMED" -> {
                BigDecimal amount = amount("violatingAmount", r.violatingAmount(), true, false, errors);
                BehaviourType category = category(r.category(), errors);
                BigDecimal penalty = amount("penaltyAmount", r.penaltyAmount(), false, true, errors);
                String reason = text("reason", r.reason(), false, MAX_TEXT, errors);
                fail(errors);
                return new Confirm(amount, category, penalty, reason);
            }
            case "DISMISSED" -> {
                String reason = text("reason", r.reason(), true, MAX_TEXT, errors);
                if (r.violatingAmount() != null) {
                    errors.add(new Problem.FieldError("violatingAmount", "only a CONFIRMED case has a violating amount"));
                }
                if (r.penaltyAmount() != null) {
                    errors.add(new Problem.FieldError("penaltyAmount", "only a CONFIRMED case carries a penalty"));
                }
                if (r.category() != null && !r.category().isBlank()) {
                    errors.add(new Problem.FieldError("category", "only a CONFIRMED case has a confirmed category"));
                }
                fail(errors);
                return new Dismiss(reason);
            }
            default -> {
                errors.add(new Problem.FieldError("outcome", "must be CONFIRMED or DISMISSED"));
                fail(errors);
                throw new IllegalStateException("unreachable");
            }
        }
    }

    private static BehaviourType category(String value, List<Problem.FieldError> errors) {
        String allowed = Arrays.stream(BehaviourType.values()).map(Enum::name).collect(Collectors.joining(", "));
        if (value == null || value.isBlank()) {
            errors.add(new Problem.FieldError("category", "is required for CONFIRMED: one of " + allowed));
            return null;
        }
        try {
            return BehaviourType.valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            errors.add(new Problem.FieldError("category", "must be one of " + allowed));
            return null;
        }
    }

    /** Yuan with at most 2 decimals (CLM-10), stored with exactly 2. */
    private static BigDecimal amount(String field, BigDecimal value, boolean required, boolean zeroAllowed,
                                     List<Problem.FieldError> errors) {
        if (value == null) {
            if (required) {
                errors.add(new Problem.FieldError(field, "is required for CONFIRMED"));
            }
            return null;
        }
        if (value.stripTrailingZeros().scale() > 2) {
            errors.add(new Problem.FieldError(field, "at most 2 decimals"));
            return null;
        }
        if (value.signum() < 0 || (!zeroAllowed && value.signum() == 0)) {
            errors.add(new Problem.FieldError(field, zeroAllowed ? "must not be negative" : "must be more than 0.00"));
            return null;
        }
        if (value.compareTo(MAX_AMOUNT) > 0) {
            errors.add(new Problem.FieldError(field, "must be at most " + MAX_AMOUNT.toPlainString()));
            return null;
        }
        return Money.round(value);
    }

    private static String text(String field, String value, boolean required, int max, List<Problem.FieldError> errors) {
        if (value == null || value.isBlank()) {
            if (required) {
                errors.add(new Problem.FieldError(field, "is required"));
            }
            return null;
        }
        String v = value.strip();
        if (v.length() > max) {
            errors.add(new Problem.FieldError(field, "at most " + max + " characters"));
            return null;
        }
        if (PersonalData.containsIdCardNumber(v)) {
            // AUD-23: refuse rather than store (or silently rewrite) what the auditor typed
            errors.add(new Problem.FieldError(field, "must not contain an ID-card number (AUD-23): name the person by psnNo"));
            return null;
        }
        return v;
    }

    private static UUID uuid(String s) {
        if (s == null) {
            return null;
        }
        try {
            UUID id = UUID.fromString(s.trim());
            return id.toString().equalsIgnoreCase(s.trim()) ? id : null;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static void fail(List<Problem.FieldError> errors) {
        if (!errors.isEmpty()) {
            throw ProblemException.badRequest("the request has " + errors.size() + " invalid field(s)", errors);
        }
    }
}
