package cn.pharmacyclaims.settlement.reference;

import cn.pharmacyclaims.platform.web.Problem.FieldError;
import cn.pharmacyclaims.settlement.adjudication.Snapshots;
import cn.pharmacyclaims.settlement.reference.ImportRows.BenefitRow;
import cn.pharmacyclaims.settlement.reference.ImportRows.CatalogueRow;
import cn.pharmacyclaims.settlement.reference.ImportRows.ChronicCapRow;
import cn.pharmacyclaims.settlement.reference.ImportRows.ChronicRow;
import cn.pharmacyclaims.settlement.reference.ImportRows.InstitutionRow;
import cn.pharmacyclaims.settlement.reference.ImportRows.PersonRow;
import cn.pharmacyclaims.settlement.reference.ImportRows.PolicyRow;
import cn.pharmacyclaims.settlement.reference.ImportRows.PrescriptionItemRow;
import cn.pharmacyclaims.settlement.reference.ImportRows.PrescriptionRow;
import cn.pharmacyclaims.settlement.reference.ReferenceRecords.CatalogueEntry;
import cn.pharmacyclaims.settlement.reference.ReferenceRecords.ChronicCap;
import cn.pharmacyclaims.settlement.reference.ReferenceRecords.InstitutionEntry;
import cn.pharmacyclaims.settlement.reference.ReferenceRecords.PersonEntry;
import cn.pharmacyclaims.settlement.reference.ReferenceRecords.PolicyEntry;
import cn.pharmacyclaims.settlement.reference.ReferenceRecords.PrescriptionEntry;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.regex.Pattern;

/**
 * Validates a whole import (POS-API.md §4) and names every bad row and field ({@code [3].psnNo},
 * {@code [0].benefits[1].ratio}); a call with any bad row stores nothing. Plain Java, no Quarkus.
 */
public final class ImportValidator {

    /** Typed rows when {@code errors} is empty. */
    public record Validated<T>(List<T> rows, List<FieldError> errors) {
        public boolean ok() {
            return errors.isEmpty();
        }
    }

    static final int MAX_ROWS = 10_000;
    private static final Pattern REGION = Pattern.compile("\\d{6}");
    private static final int MAX_CODE = 64;
    private static final BigDecimal MAX_AMOUNT = new BigDecimal("999999999999.99");
    private static final BigDecimal MAX_QUANTITY = new BigDecimal("999999");
    private static final int MAX_RX_ITEMS = 100;

    private ImportValidator() {
    }

    public static Validated<CatalogueEntry> catalogue(List<CatalogueRow> rows) {
        return each(rows, "itemCode", CatalogueRow::itemCode, (r, e) -> {
            String p = e.prefix;
            String code = e.code(r.itemCode(), p + "itemCode");
            String name = e.text(r.name(), p + "name", true);
            Snapshots.ItemClass cls = e.enumOf(Snapshots.ItemClass.class, r.itemClass(), p + "class");
            Boolean rx = e.required(r.rx(), p + "rx");
            BigDecimal standard = r.paymentStandard() == null ? null
                    : e.decimal(r.paymentStandard(), p + "paymentStandard", 4, BigDecimal.ZERO, MAX_AMOUNT);
            List<String> diseases = e.codes(r.chronicDiseases(), p + "chronicDiseases", false);
            return new CatalogueEntry(code, name, r.spec(), cls, rx != null && rx, standard, diseases);
        });
    }

    public static Validated<PersonEntry> persons(List<PersonRow> rows) {
        return each(rows, "psnNo", PersonRow::psnNo, (r, e) -> {
            String p = e.prefix;
            String psnNo = e.code(r.psnNo(), p + "psnNo");
            List<String> certNos = e.codes(r.certNos(), p + "certNos", true);
            Snapshots.InsuranceType type = e.enumOf(Snapshots.InsuranceType.class, r.insuranceType(), p + "insuranceType");
            String region = e.region(r.regionCode(), p + "regionCode");
            Snapshots.PersonStatus status = e.enumOf(Snapshots.PersonStatus.class, r.status(), p + "status");
            BigDecimal balance = r.accountBalance() == null ? null
                    : e.decimal(r.accountBalance(), p + "accountBalance", 2, BigDecimal.ZERO, MAX_AMOUNT);
            if (type == Snapshots.InsuranceType.RESIDENT && balance != null && balance.signum() != 0) {
                e.add(p + "accountBalance", "a RESIDENT has no personal account: the balance must be 0 or absent");
            }
            List<Snapshots.ChronicRegistration> chronic = new ArrayList<>();
            if (r.chronic() != null) {
                Set<String> seen = new HashSet<>();
                for (int i = 0; i < r.chronic().size(); i++) {
                    ChronicRow c = r.chronic().get(i);
                    String cp = p + "chronic[" + i + "].";
                    if (c == null) {
                        e.add(p + "chronic[" + i + "]", "must not be null");
                        continue;
                    }
                    String disease = e.code(c.diseaseCode(), cp + "diseaseCode");
                    LocalDate from = e.date(c.validFrom(), cp + "validFrom", true);
                    LocalDate to = e.date(c.validTo(), cp + "validTo", false);
                    if (from != null && to != null && to.isBefore(from)) {
                        e.add(cp + "validTo", "must not be before validFrom");
                    }
                    if (disease != null && from != null && !seen.add(disease + "@" + from)) {
                        e.add(cp + "diseaseCode", "duplicate registration for " + disease + " from " + from);
                    }
                    chronic.add(new Snapshots.ChronicRegistration(disease, from, to));
                }
            }
            return new PersonEntry(psnNo, certNos, type, region, status, Boolean.TRUE.equals(r.cardLost()),
                    balance == null ? null : balance.setScale(2), chronic);
        });
    }

    public static Validated<InstitutionEntry> institutions(List<InstitutionRow> rows) {
        return each(rows, "institutionCode", InstitutionRow::institutionCode, (r, e) -> {
            String p = e.prefix;
            String code = e.code(r.institutionCode(), p + "institutionCode");
            Boolean designated = e.required(r.designated(), p + "designated");
            List<String> physicians = e.codes(r.physicians(), p + "physicians", false);
            return new InstitutionEntry(code, designated != null && designated, physicians);
        });
    }

    public static Validated<PolicyEntry> policies(List<PolicyRow> rows) {
        return each(rows, "effectiveFrom", r -> r.regionCode() + "@" + r.effectiveFrom(), (r, e) -> {
            String p = e.prefix;
            String region = e.region(r.regionCode(), p + "regionCode");
            LocalDate from = e.date(r.effectiveFrom(), p + "effectiveFrom", true);
            Integer maxDays = e.positive(r.maxDaysSupply(), p + "maxDaysSupply", true);
            Integer maxChronic = e.positive(r.maxDaysSupplyChronic(), p + "maxDaysSupplyChronic", true);
            if (maxDays != null && maxChronic != null && maxChronic < maxDays) {
                e.add(p + "maxDaysSupplyChronic", "must not be below maxDaysSupply");
            }
            BigDecimal refill = e.ratio(r.refillThreshold(), p + "refillThreshold", true);
            BigDecimal bRatio = e.ratio(r.bSelfPayRatio(), p + "bSelfPayRatio", true);
            Boolean coversOutOfScope = e.required(r.accountCoversOutOfScope(), p + "accountCoversOutOfScope");
            Boolean pooling = e.required(r.outpatientPoolingAtPharmacy(), p + "outpatientPoolingAtPharmacy");
            Integer maxRxItems = r.maxRxItems() == null ? Integer.valueOf(5) : e.positive(r.maxRxItems(), p + "maxRxItems", true);
            Integer maxRxValidDays = r.maxRxValidDays() == null ? Integer.valueOf(3)
                    : e.positive(r.maxRxValidDays(), p + "maxRxValidDays", true);

            List<Snapshots.BenefitRule> benefits = new ArrayList<>();
            if (r.benefits() == null) {
                e.add(p + "benefits", "is required (an empty list configures no fund benefit)");
            } else {
                Set<String> seen = new HashSet<>();
                for (int i = 0; i < r.benefits().size(); i++) {
                    BenefitRow b = r.benefits().get(i);
                    String bp = p + "benefits[" + i + "].";
                    if (b == null) {
                        e.add(p + "benefits[" + i + "]", "must not be null");
                        continue;
                    }
                    Snapshots.InsuranceType type = e.enumOf(Snapshots.InsuranceType.class, b.insuranceType(), bp + "insuranceType");
                    Snapshots.BenefitKind kind = e.enumOf(Snapshots.BenefitKind.class, b.benefit(), bp + "benefit");
                    BigDecimal deductible = b.deductible() == null ? BigDecimal.ZERO.setScale(2)
                            : e.decimal(b.deductible(), bp + "deductible", 2, BigDecimal.ZERO, MAX_AMOUNT);
                    BigDecimal ratio = e.ratio(b.ratio(), bp + "ratio", true);
                    BigDecimal cap = b.cap() == null ? null : e.decimal(b.cap(), bp + "cap", 2, BigDecimal.ZERO, MAX_AMOUNT);
                    if (kind == Snapshots.BenefitKind.CHRONIC && deductible != null && deductible.signum() > 0) {
                        // CLM-11.4: chronic deductibles are 0 by rule and no accumulator tracks one.
                        e.add(bp + "deductible", "a CHRONIC benefit has no deductible (must be 0)");
                    }
                    if (kind == Snapshots.BenefitKind.POOLING && b.cap() == null) {
                        e.add(bp + "cap", "is required for a POOLING benefit");
                    }
                    if (type != null && kind != null && !seen.add(type + "/" + kind)) {
                        e.add(bp + "benefit", "duplicate rule for " + type + " " + kind);
                    }
                    benefits.add(new Snapshots.BenefitRule(type, kind, deductible, ratio, cap));
                }
            }
            List<ChronicCap> caps = new ArrayList<>();
            if (r.chronicCaps() != null) {
                Set<String> seen = new HashSet<>();
                for (int i = 0; i < r.chronicCaps().size(); i++) {
                    ChronicCapRow c = r.chronicCaps().get(i);
                    String cp = p + "chronicCaps[" + i + "].";
                    if (c == null) {
                        e.add(p + "chronicCaps[" + i + "]", "must not be null");
                        continue;
                    }
                    String disease = e.code(c.diseaseCode(), cp + "diseaseCode");
                    BigDecimal cap = e.decimal(c.cap(), cp + "cap", 2, BigDecimal.ZERO, MAX_AMOUNT);
                    if (disease != null && !seen.add(disease)) {
                        e.add(cp + "diseaseCode", "duplicate cap for " + disease);
                    }
                    caps.add(new ChronicCap(disease, cap));
                }
            }
            return new PolicyEntry(region, from, orZero(maxDays), orZero(maxChronic), refill, bRatio,
                    Boolean.TRUE.equals(coversOutOfScope), Boolean.TRUE.equals(pooling),
                    Boolean.TRUE.equals(r.holdAllowsSettlement()), orZero(maxRxItems), orZero(maxRxValidDays), benefits, caps);
        });
    }

    /** CLM-06 e-prescription registry rows: header, at least one item, each item once with a positive quantity. */
    public static Validated<PrescriptionEntry> prescriptions(List<PrescriptionRow> rows) {
        return each(rows, "rxNo", PrescriptionRow::rxNo, (r, e) -> {
            String p = e.prefix;
            String rxNo = e.code(r.rxNo(), p + "rxNo");
            String institution = e.code(r.institutionCode(), p + "institutionCode");
            String physician = e.code(r.physicianCode(), p + "physicianCode");
            String patient = e.code(r.patientPsnNo(), p + "patientPsnNo");
            OffsetDateTime issuedAt = e.time(r.issuedAt(), p + "issuedAt");
            Integer validDays = r.validDays() == null ? Integer.valueOf(1) : e.positive(r.validDays(), p + "validDays", true);
            Map<String, BigDecimal> items = new LinkedHashMap<>();
            if (r.items() == null || r.items().isEmpty()) {
                e.add(p + "items", "at least one item is required");
            } else if (r.items().size() > MAX_RX_ITEMS) {
                e.add(p + "items", "at most " + MAX_RX_ITEMS + " items");
            } else {
                for (int i = 0; i < r.items().size(); i++) {
                    PrescriptionItemRow item = r.items().get(i);
                    String ip = p + "items[" + i + "].";
                    if (item == null) {
                        e.add(p + "items[" + i + "]", "must not be null");
                        continue;
                    }
                    String code = e.code(item.itemCode(), ip + "itemCode");
                    BigDecimal quantity = e.decimal(item.quantity(), ip + "quantity", 4, BigDecimal.ZERO, MAX_QUANTITY);
                    if (quantity != null && quantity.signum() == 0) {
                        e.add(ip + "quantity", "must be positive");
                    }
                    if (code != null && items.containsKey(code)) {
                        e.add(ip + "itemCode", "duplicate item on this prescription");
                    } else if (code != null) {
                        items.put(code, quantity);
                    }
                }
            }
            return new PrescriptionEntry(rxNo, institution, physician, patient, issuedAt, orZero(validDays),
                    java.util.Collections.unmodifiableMap(items));
        });
    }

    private static int orZero(Integer i) {
        return i == null ? 0 : i;
    }

    /** Runs {@code check} on every row; a key seen twice in one call is an error on the later row. */
    private static <R, T> Validated<T> each(List<R> rows, String keyField, java.util.function.Function<R, String> key,
                                            BiFunction<R, Errors, T> check) {
        Errors e = new Errors();
        List<T> out = new ArrayList<>();
        if (rows == null) {
            e.add("$", "the body must be a JSON array of rows");
            return new Validated<>(List.of(), e.list);
        }
        if (rows.size() > MAX_ROWS) {
            e.add("$", "at most " + MAX_ROWS + " rows per call");
            return new Validated<>(List.of(), e.list);
        }
        Set<String> keys = new HashSet<>();
        for (int i = 0; i < rows.size(); i++) {
            R row = rows.get(i);
            e.prefix = "[" + i + "].";
            if (row == null) {
                e.add("[" + i + "]", "must not be null");
                continue;
            }
            T value = check.apply(row, e);
            String k = key.apply(row);
            if (k != null && !keys.add(k)) {
                e.add(e.prefix + keyField, "duplicate row in this import");
            }
            out.add(value);
        }
        return new Validated<>(e.list.isEmpty() ? List.copyOf(out) : List.of(), List.copyOf(e.list));
    }

    /** Collects field errors of one call. */
    static final class Errors {
        final List<FieldError> list = new ArrayList<>();
        String prefix = "";

        void add(String field, String message) {
            list.add(new FieldError(field, message));
        }

        <T> T required(T value, String field) {
            if (value == null) {
                add(field, "is required");
            }
            return value;
        }

        String text(String value, String field, boolean required) {
            if (value == null || value.isBlank()) {
                if (required) {
                    add(field, "is required");
                }
                return null;
            }
            return value.trim();
        }

        String code(String value, String field) {
            String v = text(value, field, true);
            if (v != null && v.length() > MAX_CODE) {
                add(field, "at most " + MAX_CODE + " characters");
                return null;
            }
            return v;
        }

        List<String> codes(List<String> values, String field, boolean atLeastOne) {
            if (values == null || values.isEmpty()) {
                if (atLeastOne) {
                    add(field, "at least one is required");
                }
                return List.of();
            }
            Set<String> out = new LinkedHashSet<>();
            for (int i = 0; i < values.size(); i++) {
                String v = code(values.get(i), field + "[" + i + "]");
                if (v != null) {
                    out.add(v);
                }
            }
            return List.copyOf(out);
        }

        String region(String value, String field) {
            if (value == null || !REGION.matcher(value).matches()) {
                add(field, "must be a 6-digit region code");
                return null;
            }
            return value;
        }

        <E extends Enum<E>> E enumOf(Class<E> type, String value, String field) {
            if (value == null) {
                add(field, "is required");
                return null;
            }
            try {
                return Enum.valueOf(type, value);
            } catch (IllegalArgumentException ex) {
                add(field, "must be one of " + java.util.Arrays.toString(type.getEnumConstants()));
                return null;
            }
        }

        LocalDate date(String value, String field, boolean required) {
            if (value == null) {
                if (required) {
                    add(field, "is required");
                }
                return null;
            }
            try {
                return LocalDate.parse(value);
            } catch (DateTimeParseException ex) {
                add(field, "must be a date yyyy-MM-dd");
                return null;
            }
        }

        OffsetDateTime time(String value, String field) {
            if (value == null || value.isBlank()) {
                add(field, "is required");
                return null;
            }
            try {
                return OffsetDateTime.parse(value.trim());
            } catch (DateTimeParseException ex) {
                add(field, "must be an ISO-8601 time with offset, e.g. 2026-11-23T09:40:00+08:00");
                return null;
            }
        }

        Integer positive(Integer value, String field, boolean required) {
            if (value == null) {
                if (required) {
                    add(field, "is required");
                }
                return null;
            }
            if (value <= 0) {
                add(field, "must be positive");
                return null;
            }
            return value;
        }

        BigDecimal decimal(String value, String field, int maxScale, BigDecimal min, BigDecimal max) {
            if (value == null || value.isBlank()) {
                add(field, "is required");
                return null;
            }
            BigDecimal d;
            try {
                d = new BigDecimal(value.trim());
            } catch (NumberFormatException ex) {
                add(field, "must be a decimal number");
                return null;
            }
            if (d.stripTrailingZeros().scale() > maxScale) {
                add(field, "at most " + maxScale + " decimals");
                return null;
            }
            if (d.compareTo(min) < 0 || d.compareTo(max) > 0) {
                add(field, "must be between " + min.toPlainString() + " and " + max.toPlainString());
                return null;
            }
            // money is held with 2 decimals (CLM-10); prices and ratios keep the precision given
            return maxScale == 2 ? d.setScale(2, java.math.RoundingMode.UNNECESSARY) : d;
        }

        BigDecimal ratio(String value, String field, boolean required) {
            if (value == null && !required) {
                return null;
            }
            return decimal(value, field, 4, BigDecimal.ZERO, BigDecimal.ONE);
        }
    }
}
