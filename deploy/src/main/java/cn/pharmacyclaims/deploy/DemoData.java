package cn.pharmacyclaims.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * A deterministic demo registry (same seed, same data) loaded through the public admin imports
 * (POS-API.md §4), exactly as an agency would migrate its own. Sizes: {@code small} for tests and a
 * quick look, {@code city} for a mid-size city (about 2,000 pharmacies, 200,000 insured persons,
 * 5,000 catalogue items).
 */
public final class DemoData {

    public record Size(int pharmacies, int persons, int items) {
        public static Size named(String name) {
            return switch (name) {
                case "tiny" -> new Size(6, 50, 40);
                case "small" -> new Size(50, 2_000, 400);
                case "city" -> new Size(2_000, 200_000, 5_000);
                default -> throw new IllegalArgumentException("size is tiny, small or city, not " + name);
            };
        }
    }

    /** The fixed records the README example and the system test use. */
    public static final String DEMO_REGION = "440105";
    public static final String DEMO_PHARMACY = "P44010500001";
    public static final String DEMO_PSN = "44010000000000123456";
    public static final String DEMO_CERT = "A12345678";
    public static final String DEMO_RESIDENT_PSN = "44010000000000654321";
    public static final String DEMO_RESIDENT_CERT = "B87654321";
    public static final String ITEM_AMLODIPINE = "XC08CAA0450101";
    public static final String ITEM_COLD_REMEDY = "XR05XAA0120201";
    public static final String ITEM_VITAMIN_C = "XA11GAA0010301";
    public static final String ITEM_NON_MEDICAL = "NM9900000000001";
    public static final String INSTITUTION = "H44010500003";
    public static final String PHYSICIAN = "D0042";
    static final String[] REGIONS = {"440103", "440104", "440105", "440106"};
    static final String[] DISEASES = {"I10", "E11", "J44", "I50", "C80"};

    private final Size size;
    private final Random random = new Random(20261123L);
    private final int year = LocalDate.now(PosClient.BEIJING).getYear();

    public DemoData(Size size) {
        this.size = size;
    }

    public List<Map<String, Object>> policies() {
        List<Map<String, Object>> out = new ArrayList<>();
        for (String region : REGIONS) {
            Map<String, Object> p = new LinkedHashMap<>();
            p.put("regionCode", region);
            p.put("effectiveFrom", "2019-01-01");
            p.put("maxDaysSupply", 7);
            p.put("maxDaysSupplyChronic", 30);
            p.put("refillThreshold", "0.80");
            p.put("bSelfPayRatio", "0.10");
            p.put("accountCoversOutOfScope", true);
            p.put("outpatientPoolingAtPharmacy", true);
            p.put("benefits", List.of(
                    benefit("EMPLOYEE", "CHRONIC", "0", "0.70", null),
                    benefit("EMPLOYEE", "POOLING", "200.00", "0.50", "2000.00"),
                    benefit("RESIDENT", "CHRONIC", "0", "0.60", null),
                    benefit("RESIDENT", "POOLING", "0", "0.50", "300.00")));
            p.put("chronicCaps", List.of(cap("I10", "3000"), cap("E11", "5000"), cap("J44", "5000"),
                    cap("I50", "10000"), cap("C80", "30000")));
            out.add(p);
        }
        return out;
    }

    private static Map<String, Object> benefit(String type, String benefit, String deductible, String ratio, String cap) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("insuranceType", type);
        m.put("benefit", benefit);
        m.put("deductible", deductible);
        m.put("ratio", ratio);
        if (cap != null) {
            m.put("cap", cap);
        }
        return m;
    }

    private static Map<String, Object> cap(String disease, String cap) {
        return Map.of("diseaseCode", disease, "cap", cap);
    }

    public List<Map<String, Object>> institutions() {
        List<Map<String, Object>> out = new ArrayList<>();
        out.add(Map.of("institutionCode", INSTITUTION, "designated", true, "physicians", List.of(PHYSICIAN, "D0043", "D0044")));
        for (int i = 1; i <= 20; i++) {
            List<String> docs = new ArrayList<>();
            for (int d = 0; d < 10; d++) {
                docs.add(String.format("D%02d%02d", i, d));
            }
            out.add(Map.of("institutionCode", String.format("H4401%02d%05d", 3 + i % 4, i + 100), "designated", i % 10 != 0,
                    "physicians", docs));
        }
        return out;
    }

    public List<Map<String, Object>> catalogue() {
        List<Map<String, Object>> out = new ArrayList<>();
        out.add(item(ITEM_AMLODIPINE, "Amlodipine besylate tablets", "5mg*28", "A", true, "30.00", List.of("I10")));
        out.add(item(ITEM_COLD_REMEDY, "Compound paracetamol tablets", "12 tablets", "B", false, "15.00", List.of()));
        out.add(item(ITEM_VITAMIN_C, "Vitamin C tablets", "100mg*100", "C", false, null, List.of()));
        out.add(item(ITEM_NON_MEDICAL, "Facial moisturiser", "50ml", "NON_MEDICAL", false, null, List.of()));
        for (int i = out.size(); i < size.items(); i++) {
            int r = random.nextInt(100);
            String cls = r < 40 ? "A" : r < 85 ? "B" : r < 95 ? "C" : "NON_MEDICAL";
            boolean rx = !cls.equals("NON_MEDICAL") && random.nextInt(100) < 50;
            BigDecimal standard = BigDecimal.valueOf(5 + random.nextInt(30000) / 100.0).setScale(2, RoundingMode.HALF_UP);
            List<String> chronic = rx && random.nextInt(100) < 30 ? List.of(DISEASES[random.nextInt(DISEASES.length)]) : List.of();
            String code = String.format("X%s%012d", cls.equals("NON_MEDICAL") ? "N" : cls, i);
            out.add(item(code, "Item " + i, "box", cls, rx, cls.equals("C") || cls.equals("NON_MEDICAL") ? null : standard.toPlainString(),
                    chronic));
        }
        return out;
    }

    private static Map<String, Object> item(String code, String name, String spec, String cls, boolean rx, String standard,
                                            List<String> chronic) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("itemCode", code);
        m.put("name", name);
        m.put("spec", spec);
        m.put("class", cls);
        m.put("rx", rx);
        if (standard != null) {
            m.put("paymentStandard", standard);
        }
        m.put("chronicDiseases", chronic);
        return m;
    }

    public List<Map<String, Object>> persons() {
        List<Map<String, Object>> out = new ArrayList<>();
        out.add(person(DEMO_PSN, DEMO_CERT, "EMPLOYEE", DEMO_REGION, "1000.00",
                List.of(chronic("I10"))));
        out.add(person(DEMO_RESIDENT_PSN, DEMO_RESIDENT_CERT, "RESIDENT", DEMO_REGION, "0.00", List.of()));
        for (int i = out.size(); i < size.persons(); i++) {
            boolean employee = random.nextInt(100) < 60;
            String balance = employee ? BigDecimal.valueOf(200 + random.nextInt(280000) / 100.0).setScale(2, RoundingMode.HALF_UP)
                    .toPlainString() : "0.00";
            List<Map<String, Object>> chronic = random.nextInt(100) < 15
                    ? List.of(chronic(DISEASES[random.nextInt(DISEASES.length)])) : List.of();
            out.add(person(psnNo(i), certNo(i), employee ? "EMPLOYEE" : "RESIDENT", REGIONS[i % REGIONS.length], balance, chronic));
        }
        return out;
    }

    public static String psnNo(int i) {
        return String.format("4401%016d", 1_000_000L + i);
    }

    public static String certNo(int i) {
        return String.format("C%08d", i);
    }

    private Map<String, Object> chronic(String disease) {
        return Map.of("diseaseCode", disease, "validFrom", year + "-01-01", "validTo", year + "-12-31");
    }

    private static Map<String, Object> person(String psnNo, String cert, String type, String region, String balance,
                                              List<Map<String, Object>> chronic) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("psnNo", psnNo);
        m.put("certNos", List.of(cert));
        m.put("insuranceType", type);
        m.put("regionCode", region);
        m.put("status", "ACTIVE");
        m.put("cardLost", false);
        m.put("accountBalance", balance);
        m.put("chronic", chronic);
        return m;
    }

    public List<Map<String, Object>> pharmacies() {
        List<Map<String, Object>> out = new ArrayList<>();
        for (int i = 1; i <= size.pharmacies(); i++) {
            String region = i == 1 ? DEMO_REGION : REGIONS[i % REGIONS.length];
            String code = pharmacyCode(region, i);
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("code", code);
            m.put("name", "Demo Pharmacy No. " + i);
            m.put("regionCode", region);
            m.put("address", i + " Demo Road, Guangzhou");
            m.put("lat", 23.05 + random.nextInt(2000) / 10000.0);
            m.put("lon", 113.20 + random.nextInt(2000) / 10000.0);
            m.put("businessHours", i % 5 == 0 ? "00:00-24:00" : "08:00-22:00");
            m.put("agreement", Map.of("status", "ACTIVE", "validFrom", year + "-01-01", "validTo", year + "-12-31",
                    "type", "GENERAL"));
            out.add(m);
        }
        return out;
    }

    public static String pharmacyCode(String region, int i) {
        return "P" + region + String.format("%05d", i);
    }

    /** A purchase body as in POS-API.md (one line, 7 days of supply, paid from the account where possible). */
    public static String purchase(String msgId, String pharmacyCode, String psnNo, String certNo, String itemCode,
                                  String quantity, String unitPrice) {
        return "{\"msgId\":\"" + msgId + "\",\"pharmacyCode\":\"" + pharmacyCode + "\",\"occurredAt\":\"" + PosClient.now()
                + "\",\"operatorId\":\"op-7\",\"insured\":{\"psnNo\":\"" + psnNo + "\",\"certType\":\"SOCIAL_CARD\",\"certNo\":\""
                + certNo + "\"},\"useAccount\":true,\"lines\":[{\"lineNo\":1,\"itemCode\":\"" + itemCode
                + "\",\"quantity\":\"" + quantity + "\",\"unitPrice\":\"" + unitPrice + "\",\"daysSupply\":7}]}";
    }

    /**
     * The chronic demo person (hypertension, I10) buys 28 days of amlodipine on a new electronic
     * prescription: CHRONIC benefit (CLM-07 allows 30 days, CLM-11 pays 70%).
     */
    public static String rxPurchase(String msgId, String pharmacyCode) {
        String now = PosClient.now();
        return "{\"msgId\":\"" + msgId + "\",\"pharmacyCode\":\"" + pharmacyCode + "\",\"occurredAt\":\"" + now
                + "\",\"operatorId\":\"op-7\",\"insured\":{\"psnNo\":\"" + DEMO_PSN + "\",\"certType\":\"SOCIAL_CARD\",\"certNo\":\""
                + DEMO_CERT + "\"},\"prescription\":{\"rxNo\":\"RX" + msgId.substring(12) + "\",\"electronic\":true,\"institutionCode\":\""
                + INSTITUTION + "\",\"physicianCode\":\"" + PHYSICIAN + "\",\"patientPsnNo\":\"" + DEMO_PSN + "\",\"issuedAt\":\"" + now
                + "\",\"validDays\":1,\"diagnosisCode\":\"I10\"},\"useAccount\":true,\"lines\":[{\"lineNo\":1,\"itemCode\":\""
                + ITEM_AMLODIPINE + "\",\"quantity\":\"1\",\"unitPrice\":\"26.5000\",\"daysSupply\":28,\"pharmacistLicence\":\"PH-0091\"}]}";
    }

    /** Registers one terminal per pharmacy and keeps the secrets (shown only once) in a file. */
    public static List<PosClient.Terminal> registerTerminals(AdminClient admin, String agreementUrl,
                                                             List<Map<String, Object>> pharmacies, Path file) {
        List<PosClient.Terminal> out = new ArrayList<>();
        StringBuilder csv = new StringBuilder("terminalId,pharmacyCode,secret\n");
        for (Map<String, Object> p : pharmacies) {
            String code = (String) p.get("code");
            var r = admin.post(agreementUrl + "/api/v1/admin/pharmacies/" + code + "/terminals",
                    Map.of("terminalId", "T-" + code));
            PosClient.Terminal t = new PosClient.Terminal(r.get("terminalId").asText(), code, r.get("secret").asText());
            out.add(t);
            csv.append(t.terminalId()).append(',').append(code).append(',').append(t.secret()).append('\n');
        }
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, csv);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    public static List<PosClient.Terminal> readTerminals(Path file) {
        try {
            return Files.readAllLines(file).stream().skip(1).filter(l -> !l.isBlank()).map(l -> l.split(","))
                    .map(a -> new PosClient.Terminal(a[0], a[1], a[2])).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Loads everything through the services' admin imports. */
    public List<PosClient.Terminal> load(LocalStack stack, AdminClient admin, Path terminalsFile) {
        String settlement = stack.url(LocalStack.Service.SETTLEMENT);
        String agreement = stack.url(LocalStack.Service.AGREEMENT);
        admin.importInBatches(settlement + "/api/v1/admin/policies", policies(), 100);
        admin.importInBatches(settlement + "/api/v1/admin/institutions", institutions(), 1000);
        admin.importInBatches(settlement + "/api/v1/admin/catalogue", catalogue(), 2000);
        admin.importInBatches(settlement + "/api/v1/admin/persons", persons(), 5000);
        List<Map<String, Object>> pharmacies = pharmacies();
        admin.importInBatches(agreement + "/api/v1/admin/pharmacies", pharmacies, 1000);
        return registerTerminals(admin, agreement, pharmacies, terminalsFile);
    }
}
