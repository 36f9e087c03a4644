package cn.pharmacyclaims.agreement.application;

import cn.pharmacyclaims.agreement.ban.Person;
import cn.pharmacyclaims.agreement.lifecycle.AgreementType;
import cn.pharmacyclaims.agreement.pharmacy.BusinessHours;
import cn.pharmacyclaims.agreement.pharmacy.ImportValidator;
import cn.pharmacyclaims.platform.web.Problem.FieldError;
import cn.pharmacyclaims.platform.web.ProblemException;

import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/** Bodies of the application API, checked field by field (400 naming every bad field; nothing stored). */
public final class ApplicationRequests {
    static final int MAX_TEXT = 2000;

    /** {@code POST /api/v1/applications}. */
    public record ApplicationRequest(String kind, String pharmacyCode, String regionCode, String agreementType, PharmacyBlock pharmacy,
                                     PersonBlock legalRepresentative, PersonBlock actualController, PreconditionsBlock preconditions,
                                     String receivedOn) {
    }

    public record PharmacyBlock(String name, String address, Double lat, Double lon, String businessHours) {
    }

    public record PersonBlock(String idType, String idNumber) {
    }

    public record PreconditionsBlock(String licenceNumber, Integer monthsAtAddress, Integer pharmacists, Boolean insuranceManager,
                                     Boolean onlineSettlement) {
    }

    /** Body of every step; each step reads the fields it needs, dates default to today. */
    public record StepRequest(String reason, String confirmedOn, String issuedOn, List<String> missingItems, String receivedOn,
                              String result, String reasons, String deliveredOn) {
    }

    /**
     * A checked application.
     *
     * @param regionCode null: the pharmacy's home region (or, for an unknown pharmacy, the region in its code)
     */
    public record Checked(ApplicationKind kind, String pharmacyCode, String regionCode, AgreementType agreementType,
                          PharmacyDetails details, Person legalRepresentative, Person actualController, Preconditions preconditions,
                          LocalDate receivedOn) {
    }

    private ApplicationRequests() {
    }

    public static Checked check(ApplicationRequest body, LocalDate today) {
        List<FieldError> errors = new ArrayList<>();
        if (body == null) {
            throw ProblemException.badRequest("an application is required", List.of(new FieldError("$", "is required")));
        }
        ApplicationKind kind = null;
        try {
            kind = ApplicationKind.valueOf(body.kind() == null ? "" : body.kind());
        } catch (IllegalArgumentException e) {
            errors.add(new FieldError("kind", "must be NEW or RENEWAL"));
        }
        if (body.pharmacyCode() == null || !ImportValidator.CODE.matcher(body.pharmacyCode()).matches()) {
            errors.add(new FieldError("pharmacyCode", "must be 'P' followed by 11 digits (region code and serial)"));
        }
        String region = body.regionCode() == null || body.regionCode().isBlank() ? null : body.regionCode();
        if (region != null && !ImportValidator.REGION.matcher(region).matches()) {
            errors.add(new FieldError("regionCode", "must be a 6-digit region code"));
        }
        AgreementType type = AgreementType.GENERAL;
        if (body.agreementType() != null && !body.agreementType().isBlank()) {
            try {
                type = AgreementType.valueOf(body.agreementType());
            } catch (IllegalArgumentException e) {
                errors.add(new FieldError("agreementType", "must be GENERAL or SPECIAL_DRUG"));
            }
        }
        PharmacyDetails details = details(body.pharmacy(), errors);
        Person legal = person(body.legalRepresentative(), "legalRepresentative", true, errors);
        Person controller = person(body.actualController(), "actualController", false, errors);
        Preconditions pre = preconditions(body.preconditions(), errors);
        LocalDate received = date(body.receivedOn(), "receivedOn", today, errors);
        if (!errors.isEmpty()) {
            throw ProblemException.badRequest("the application has " + errors.size() + " invalid field(s); nothing was stored", errors);
        }
        return new Checked(kind, body.pharmacyCode(), region, type, details, legal, controller, pre, received == null ? today : received);
    }

    private static PharmacyDetails details(PharmacyBlock p, List<FieldError> errors) {
        if (p == null) {
            return null;
        }
        int before = errors.size();
        if (p.name() == null || p.name().isBlank() || p.name().length() > 200) {
            errors.add(new FieldError("pharmacy.name", "is required, at most 200 characters"));
        }
        if (p.address() == null || p.address().isBlank() || p.address().length() > 500) {
            errors.add(new FieldError("pharmacy.address", "is required, at most 500 characters"));
        }
        if (p.lat() == null || p.lat().isNaN() || p.lat() < -90 || p.lat() > 90) {
            errors.add(new FieldError("pharmacy.lat", "must be between -90 and 90"));
        }
        if (p.lon() == null || p.lon().isNaN() || p.lon() < -180 || p.lon() > 180) {
            errors.add(new FieldError("pharmacy.lon", "must be between -180 and 180"));
        }
        String hours = BusinessHours.problem(p.businessHours());
        if (hours != null) {
            errors.add(new FieldError("pharmacy.businessHours", hours));
        }
        return errors.size() > before ? null : new PharmacyDetails(p.name().strip(), p.address().strip(), p.lat(), p.lon(), p.businessHours());
    }

    private static Person person(PersonBlock p, String field, boolean required, List<FieldError> errors) {
        if (p == null) {
            if (required) {
                errors.add(new FieldError(field, "is required (document type and number)"));
            }
            return null;
        }
        int before = errors.size();
        if (p.idType() == null || !Person.ID_TYPE.matcher(p.idType()).matches()) {
            errors.add(new FieldError(field + ".idType", "must be a document type such as ID_CARD or PASSPORT"));
        }
        if (p.idNumber() == null || !Person.ID_NUMBER.matcher(p.idNumber()).matches()) {
            errors.add(new FieldError(field + ".idNumber", "must be 4-40 letters or digits"));
        }
        return errors.size() > before ? null : new Person(p.idType(), p.idNumber());
    }

    private static Preconditions preconditions(PreconditionsBlock p, List<FieldError> errors) {
        if (p == null) {
            errors.add(new FieldError("preconditions", "are required (AGR-01)"));
            return null;
        }
        int before = errors.size();
        if (p.licenceNumber() != null && p.licenceNumber().length() > 100) {
            errors.add(new FieldError("preconditions.licenceNumber", "must be at most 100 characters"));
        }
        if (p.monthsAtAddress() == null || p.monthsAtAddress() < 0) {
            errors.add(new FieldError("preconditions.monthsAtAddress", "is required, 0 or more"));
        }
        if (p.pharmacists() == null || p.pharmacists() < 0) {
            errors.add(new FieldError("preconditions.pharmacists", "is required, 0 or more"));
        }
        if (p.insuranceManager() == null) {
            errors.add(new FieldError("preconditions.insuranceManager", "is required (true or false)"));
        }
        if (p.onlineSettlement() == null) {
            errors.add(new FieldError("preconditions.onlineSettlement", "is required (true or false)"));
        }
        return errors.size() > before ? null : new Preconditions(p.licenceNumber() == null ? null : p.licenceNumber().strip(),
                p.monthsAtAddress(), p.pharmacists(), p.insuranceManager(), p.onlineSettlement());
    }

    /** A step's date: absent means today; never in the future. */
    static LocalDate date(String s, String field, LocalDate today, List<FieldError> errors) {
        if (s == null || s.isBlank()) {
            return null;
        }
        try {
            LocalDate d = LocalDate.parse(s.strip());
            if (d.isAfter(today)) {
                errors.add(new FieldError(field, d + " is in the future (today is " + today + ")"));
                return null;
            }
            return d;
        } catch (DateTimeParseException e) {
            errors.add(new FieldError(field, "'" + s + "' is not a date (yyyy-MM-dd)"));
            return null;
        }
    }

    static LocalDate stepDate(String s, String field, LocalDate today) {
        List<FieldError> errors = new ArrayList<>();
        LocalDate d = date(s, field, today, errors);
        if (!errors.isEmpty()) {
            throw ProblemException.badRequest("invalid date", errors);
        }
        return d == null ? today : d;
    }

    static String reason(StepRequest body, boolean required, String otherwise) {
        String r = body == null ? null : body.reason();
        if (r == null || r.isBlank()) {
            if (required) {
                throw ProblemException.badRequest("a reason is required",
                        List.of(new FieldError("reason", "is required (SEC-04: every change records why)")));
            }
            return otherwise;
        }
        if (r.length() > MAX_TEXT) {
            throw ProblemException.badRequest("reason too long", List.of(new FieldError("reason", "must be at most " + MAX_TEXT + " characters")));
        }
        return r.strip();
    }
}
