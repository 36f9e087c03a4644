package cn.pharmacyclaims.agreement.lifecycle;

import cn.pharmacyclaims.agreement.pharmacy.ImportValidator;
import cn.pharmacyclaims.platform.web.Problem;
import cn.pharmacyclaims.platform.web.ProblemException;

import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Bodies of the staff lifecycle API; the reason is mandatory (SEC-04 "why"). {@code regionCode}
 * names the region's agreement the action is about (default: the pharmacy's home region, AGR-10);
 * {@code agencyLevel} the deciding agency's level (default from config; PREFECTURE or PROVINCE
 * cascades to every other region, AGR-10).
 */
public final class LifecycleRequests {
    static final int MAX_REASON = 2000;

    private LifecycleRequests() {
    }

    /**
     * AGR-07; {@code requestedByPharmacy} marks the pharmacy's own request (180-day limit, not counted for AGR-09, never
     * cascaded); {@code requestedOn}, the day its written request was received, is checked against the 3 months' notice.
     */
    public record SuspendRequest(String reason, Boolean requestedByPharmacy, String regionCode, String agencyLevel, String requestedOn) {
    }

    public record ReasonRequest(String reason, String regionCode) {
    }

    /**
     * AGR-09; {@code ground} is one of {@link TerminationGround} that staff may claim; for PHARMACY_REQUEST,
     * {@code requestedOn} is checked against the 3 months' notice.
     */
    public record TerminateRequest(String reason, String ground, String regionCode, String agencyLevel, String requestedOn) {
    }

    /** AGR-10: the pharmacy's agreement in an additional region. */
    public record AddAgreementRequest(String regionCode, String type, String validFrom, String validTo, String reason) {
    }

    /** A checked {@link AddAgreementRequest}. */
    record NewAgreement(String regionCode, AgreementType type, LocalDate validFrom, LocalDate validTo, String reason) {
    }

    static String reason(String reason) {
        List<Problem.FieldError> errors = new ArrayList<>();
        checkReason(reason, errors);
        throwIfAny(errors);
        return reason.strip();
    }

    static String region(String regionCode) {
        if (regionCode == null || regionCode.isBlank()) {
            return null;
        }
        if (!ImportValidator.REGION.matcher(regionCode).matches()) {
            throwIfAny(List.of(new Problem.FieldError("regionCode", "must be a 6-digit region code")));
        }
        return regionCode;
    }

    /** The day a pharmacy's own request was received; null when not given. */
    static LocalDate requestedOn(String s) {
        if (s == null || s.isBlank()) {
            return null;
        }
        try {
            return LocalDate.parse(s.strip());
        } catch (DateTimeParseException e) {
            throwIfAny(List.of(new Problem.FieldError("requestedOn", "'" + s + "' is not a date (yyyy-MM-dd)")));
            return null;
        }
    }

    static AgencyLevel level(String level, AgencyLevel otherwise) {
        if (level == null || level.isBlank()) {
            return otherwise;
        }
        try {
            return AgencyLevel.valueOf(level.strip());
        } catch (IllegalArgumentException e) {
            throwIfAny(List.of(new Problem.FieldError("agencyLevel", "must be one of " + Arrays.toString(AgencyLevel.values()))));
            return otherwise;
        }
    }

    static TerminationGround ground(TerminateRequest body) {
        List<Problem.FieldError> errors = new ArrayList<>();
        checkReason(body == null ? null : body.reason(), errors);
        TerminationGround ground = null;
        String g = body == null ? null : body.ground();
        String allowed = Arrays.stream(TerminationGround.values()).filter(TerminationGround::staffMayClaim).map(Enum::name).toList().toString();
        if (g == null || g.isBlank()) {
            errors.add(new Problem.FieldError("ground", "is required, one of " + allowed));
        } else {
            try {
                ground = TerminationGround.valueOf(g.strip());
                if (!ground.staffMayClaim()) {
                    errors.add(new Problem.FieldError("ground", ground + " is decided by the system, not claimed; one of " + allowed));
                }
            } catch (IllegalArgumentException e) {
                errors.add(new Problem.FieldError("ground", "unknown ground '" + g + "'; one of " + allowed));
            }
        }
        throwIfAny(errors);
        return ground;
    }

    static NewAgreement newAgreement(AddAgreementRequest body) {
        List<Problem.FieldError> errors = new ArrayList<>();
        if (body == null) {
            throwIfAny(List.of(new Problem.FieldError("$", "is required")));
        }
        if (body.regionCode() == null || !ImportValidator.REGION.matcher(body.regionCode()).matches()) {
            errors.add(new Problem.FieldError("regionCode", "must be a 6-digit region code"));
        }
        AgreementType type = AgreementType.GENERAL;
        if (body.type() != null && !body.type().isBlank()) {
            try {
                type = AgreementType.valueOf(body.type());
            } catch (IllegalArgumentException e) {
                errors.add(new Problem.FieldError("type", "must be GENERAL or SPECIAL_DRUG"));
            }
        }
        LocalDate from = date(body.validFrom(), "validFrom", errors);
        LocalDate to = date(body.validTo(), "validTo", errors);
        if (from != null && to != null && to.isBefore(from)) {
            errors.add(new Problem.FieldError("validTo", "must not be before validFrom " + from));
        }
        checkReason(body.reason(), errors);
        throwIfAny(errors);
        return new NewAgreement(body.regionCode(), type, from, to, body.reason().strip());
    }

    private static LocalDate date(String s, String field, List<Problem.FieldError> errors) {
        if (s == null || s.isBlank()) {
            errors.add(new Problem.FieldError(field, "is required (yyyy-MM-dd)"));
            return null;
        }
        try {
            return LocalDate.parse(s.strip());
        } catch (DateTimeParseException e) {
            errors.add(new Problem.FieldError(field, "'" + s + "' is not a date (yyyy-MM-dd)"));
            return null;
        }
    }

    private static void checkReason(String reason, List<Problem.FieldError> errors) {
        if (reason == null || reason.isBlank()) {
            errors.add(new Problem.FieldError("reason", "is required (SEC-04: every change records why)"));
        } else if (reason.length() > MAX_REASON) {
            errors.add(new Problem.FieldError("reason", "must be at most " + MAX_REASON + " characters"));
        }
    }

    private static void throwIfAny(List<Problem.FieldError> errors) {
        if (!errors.isEmpty()) {
            throw ProblemException.badRequest("the request has " + errors.size() + " invalid field(s)", errors);
        }
    }
}
