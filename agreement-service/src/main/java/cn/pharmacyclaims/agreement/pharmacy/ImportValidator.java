package cn.pharmacyclaims.agreement.pharmacy;

import cn.pharmacyclaims.agreement.lifecycle.AgreementType;
import cn.pharmacyclaims.common.events.PharmacyStatus;
import cn.pharmacyclaims.platform.web.Problem.FieldError;

import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Checks every row and field of a pharmacy import before anything is stored (plain Java). Errors
 * name the row and field as {@code [3].agreement.validTo}; duplicates inside the call are errors
 * too, since "last row wins" would silently drop data.
 */
public final class ImportValidator {
    public static final Pattern CODE = Pattern.compile("^P\\d{11}$");
    public static final Pattern REGION = Pattern.compile("^\\d{6}$");
    static final int MAX_NAME = 200;
    static final int MAX_ADDRESS = 500;
    /** POS-API.md section 4: EXPIRED is the system's own conclusion, not an importable status. */
    static final Set<PharmacyStatus> IMPORTABLE = EnumSet.of(PharmacyStatus.ACTIVE, PharmacyStatus.SUSPENDED,
            PharmacyStatus.SETTLEMENT_HOLD, PharmacyStatus.TERMINATED);

    /** A row that passed every check, typed. */
    public record ValidRow(int index, Pharmacy pharmacy, PharmacyStatus status, AgreementType type, LocalDate validFrom,
                           LocalDate validTo) {
    }

    public record Result(List<ValidRow> rows, List<FieldError> errors) {
        public boolean ok() {
            return errors.isEmpty();
        }
    }

    private ImportValidator() {
    }

    public static Result validate(List<PharmacyImportRow> rows) {
        List<FieldError> errors = new ArrayList<>();
        List<ValidRow> valid = new ArrayList<>();
        if (rows == null) {
            errors.add(new FieldError("$", "the body must be a JSON array of pharmacies"));
            return new Result(valid, errors);
        }
        Map<String, Integer> firstRowOfCode = new HashMap<>();
        for (int i = 0; i < rows.size(); i++) {
            PharmacyImportRow r = rows.get(i);
            String at = "[" + i + "]";
            if (r == null) {
                errors.add(new FieldError(at, "is null; expected a pharmacy object"));
                continue;
            }
            int before = errors.size();
            if (r.code() == null || r.code().isBlank()) {
                errors.add(new FieldError(at + ".code", "is required"));
            } else if (!CODE.matcher(r.code()).matches()) {
                errors.add(new FieldError(at + ".code", "must be 'P' followed by 11 digits (region code and serial), e.g. P44010500001"));
            } else {
                Integer first = firstRowOfCode.putIfAbsent(r.code(), i);
                if (first != null) {
                    errors.add(new FieldError(at + ".code", "duplicates [" + first + "].code " + r.code() + " in the same import"));
                }
            }
            text(r.name(), MAX_NAME, at + ".name", errors);
            if (r.regionCode() == null || !REGION.matcher(r.regionCode()).matches()) {
                errors.add(new FieldError(at + ".regionCode", "must be a 6-digit region code"));
            }
            text(r.address(), MAX_ADDRESS, at + ".address", errors);
            range(r.lat(), -90, 90, at + ".lat", errors);
            range(r.lon(), -180, 180, at + ".lon", errors);
            String hours = BusinessHours.problem(r.businessHours());
            if (hours != null) {
                errors.add(new FieldError(at + ".businessHours", hours));
            }
            PharmacyStatus status = null;
            AgreementType type = null;
            LocalDate from = null;
            LocalDate to = null;
            PharmacyImportRow.AgreementRow a = r.agreement();
            if (a == null) {
                errors.add(new FieldError(at + ".agreement", "is required"));
            } else {
                status = status(a.status(), at + ".agreement.status", errors);
                type = type(a.type(), at + ".agreement.type", errors);
                from = date(a.validFrom(), at + ".agreement.validFrom", errors);
                to = date(a.validTo(), at + ".agreement.validTo", errors);
                if (from != null && to != null && from.isAfter(to)) {
                    errors.add(new FieldError(at + ".agreement.validTo", "must not be before validFrom " + from));
                }
            }
            if (errors.size() == before) {
                Pharmacy p = new Pharmacy(r.code(), r.name().strip(), r.regionCode(), r.address().strip(), r.lat(), r.lon(),
                        r.businessHours(), 0);
                valid.add(new ValidRow(i, p, status, type, from, to));
            }
        }
        return new Result(valid, errors);
    }

    private static void text(String value, int max, String field, List<FieldError> errors) {
        if (value == null || value.isBlank()) {
            errors.add(new FieldError(field, "is required"));
        } else if (value.strip().length() > max) {
            errors.add(new FieldError(field, "must be at most " + max + " characters"));
        }
    }

    private static void range(Double v, double min, double max, String field, List<FieldError> errors) {
        if (v == null) {
            errors.add(new FieldError(field, "is required"));
        } else if (v.isNaN() || v < min || v > max) {
            errors.add(new FieldError(field, "must be between " + (int) min + " and " + (int) max));
        }
    }

    private static PharmacyStatus status(String v, String field, List<FieldError> errors) {
        String allowed = "ACTIVE, SUSPENDED, SETTLEMENT_HOLD or TERMINATED";
        if (v == null || v.isBlank()) {
            errors.add(new FieldError(field, "is required: " + allowed));
            return null;
        }
        try {
            PharmacyStatus s = PharmacyStatus.valueOf(v);
            if (IMPORTABLE.contains(s)) {
                return s;
            }
        } catch (IllegalArgumentException e) {
            // reported below
        }
        errors.add(new FieldError(field, "'" + v + "' is not one of " + allowed));
        return null;
    }

    private static AgreementType type(String v, String field, List<FieldError> errors) {
        if (v == null || v.isBlank()) {
            errors.add(new FieldError(field, "is required: GENERAL or SPECIAL_DRUG"));
            return null;
        }
        try {
            return AgreementType.valueOf(v);
        } catch (IllegalArgumentException e) {
            errors.add(new FieldError(field, "'" + v + "' is not one of GENERAL or SPECIAL_DRUG"));
            return null;
        }
    }

    private static LocalDate date(String v, String field, List<FieldError> errors) {
        if (v == null || v.isBlank()) {
            errors.add(new FieldError(field, "is required (yyyy-MM-dd)"));
            return null;
        }
        try {
            return LocalDate.parse(v);
        } catch (DateTimeParseException e) {
            errors.add(new FieldError(field, "'" + v + "' is not a date (yyyy-MM-dd)"));
            return null;
        }
    }
}
