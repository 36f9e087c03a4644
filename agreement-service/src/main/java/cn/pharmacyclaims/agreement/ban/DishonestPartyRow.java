package cn.pharmacyclaims.agreement.ban;

import cn.pharmacyclaims.agreement.pharmacy.ImportValidator;
import cn.pharmacyclaims.platform.web.Problem.FieldError;

import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One row of the AGR-01 dishonest-party (失信) list import: a pharmacy by code, or a person by
 * document type and number. {@code untilDate} empty means listed until further notice.
 */
public record DishonestPartyRow(String subjectType, String pharmacyCode, String idType, String idNumber, String listedOn,
                                String untilDate, String source) {

    public record Valid(String subjectKey, String subjectType, LocalDate listedOn, LocalDate untilDate, String source) {
    }

    public record Result(List<Valid> rows, List<FieldError> errors) {
    }

    /** Checks every row and field (errors named {@code [2].idNumber}); nothing is stored if any is bad. */
    public static Result validate(List<DishonestPartyRow> rows) {
        List<FieldError> errors = new ArrayList<>();
        List<Valid> valid = new ArrayList<>();
        if (rows == null) {
            return new Result(valid, List.of(new FieldError("$", "the body must be a JSON array of listings")));
        }
        Map<String, Integer> seen = new HashMap<>();
        for (int i = 0; i < rows.size(); i++) {
            DishonestPartyRow r = rows.get(i);
            String at = "[" + i + "]";
            if (r == null) {
                errors.add(new FieldError(at, "is null; expected a listing"));
                continue;
            }
            int before = errors.size();
            String key = null;
            if ("PHARMACY".equals(r.subjectType())) {
                if (r.pharmacyCode() == null || !ImportValidator.CODE.matcher(r.pharmacyCode()).matches()) {
                    errors.add(new FieldError(at + ".pharmacyCode", "must be 'P' followed by 11 digits"));
                } else {
                    key = Person.pharmacyKey(r.pharmacyCode());
                }
            } else if ("PERSON".equals(r.subjectType())) {
                if (r.idType() == null || !Person.ID_TYPE.matcher(r.idType()).matches()) {
                    errors.add(new FieldError(at + ".idType", "must be a document type such as ID_CARD or PASSPORT"));
                }
                if (r.idNumber() == null || !Person.ID_NUMBER.matcher(r.idNumber()).matches()) {
                    errors.add(new FieldError(at + ".idNumber", "must be 4-40 letters or digits"));
                }
                if (errors.size() == before) {
                    key = new Person(r.idType(), r.idNumber()).subjectKey();
                }
            } else {
                errors.add(new FieldError(at + ".subjectType", "must be PHARMACY or PERSON"));
            }
            LocalDate listed = date(r.listedOn(), at + ".listedOn", true, errors);
            LocalDate until = date(r.untilDate(), at + ".untilDate", false, errors);
            if (listed != null && until != null && until.isBefore(listed)) {
                errors.add(new FieldError(at + ".untilDate", "must not be before listedOn " + listed));
            }
            if (r.source() == null || r.source().isBlank()) {
                errors.add(new FieldError(at + ".source", "is required (the list the party was read from)"));
            }
            if (key != null) {
                Integer first = seen.putIfAbsent(key, i);
                if (first != null) {
                    errors.add(new FieldError(at, "lists the same party as [" + first + "]"));
                }
            }
            if (errors.size() == before) {
                valid.add(new Valid(key, r.subjectType(), listed, until, r.source().strip()));
            }
        }
        return new Result(valid, errors);
    }

    private static LocalDate date(String s, String field, boolean required, List<FieldError> errors) {
        if (s == null || s.isBlank()) {
            if (required) {
                errors.add(new FieldError(field, "is required (yyyy-MM-dd)"));
            }
            return null;
        }
        try {
            return LocalDate.parse(s);
        } catch (DateTimeParseException e) {
            errors.add(new FieldError(field, "'" + s + "' is not a date (yyyy-MM-dd)"));
            return null;
        }
    }
}
