package cn.pharmacyclaims.settlement.adjudication;

import cn.pharmacyclaims.common.events.PharmacyStatus;
import cn.pharmacyclaims.common.events.SettlementRequest;
import cn.pharmacyclaims.common.events.SettlementResult;
import cn.pharmacyclaims.settlement.adjudication.Snapshots.BenefitKind;
import cn.pharmacyclaims.settlement.adjudication.Snapshots.BenefitRule;
import cn.pharmacyclaims.settlement.adjudication.Snapshots.CatalogueItem;
import cn.pharmacyclaims.settlement.adjudication.Snapshots.ChronicRegistration;
import cn.pharmacyclaims.settlement.adjudication.Snapshots.InsuranceType;
import cn.pharmacyclaims.settlement.adjudication.Snapshots.ItemClass;
import cn.pharmacyclaims.settlement.adjudication.Snapshots.PersonStatus;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A mutable test fixture for one purchase. Defaults: an ACTIVE pharmacy whose agreement covers
 * 2026, a terminal registered to it, an ACTIVE EMPLOYEE with 1000.00 on the account and no chronic
 * registration, nothing accumulated in 2026, the DOMAIN.md default policy, no prescription and no
 * lines. Tests add lines with {@link #line} and change only what they are about.
 */
final class TestData {

    static final LocalDate SALE_DATE = LocalDate.of(2026, 11, 23);
    static final OffsetDateTime SALE_TIME = OffsetDateTime.parse("2026-11-23T10:15:00+08:00");
    static final String PHARMACY = "P44010500001";
    static final String REGION = "440105";
    static final String TERMINAL = "T-1";
    static final String PSN = "44010000000000123456";
    static final String CERT = "A12345678";
    static final String INSTITUTION = "H44010500003";
    static final String PHYSICIAN = "D0042";
    static final String PHARMACIST = "PH-0091";

    // Chronic diseases of the default caps (DOMAIN.md CLM-11.4).
    static final String HYPERTENSION = "I10";
    static final String DIABETES = "E11";
    static final String COPD = "J44";

    // ---- request
    String pharmacyCode = PHARMACY;
    String psnNo = PSN;
    SettlementRequest.CertType certType = SettlementRequest.CertType.SOCIAL_CARD;
    String certNo = CERT;
    SettlementRequest.Purchaser purchaser;
    SettlementRequest.Prescription prescription;
    Boolean useAccount = Boolean.TRUE;
    final List<LineSpec> lines = new ArrayList<>();

    // ---- snapshots
    String terminalPharmacyCode = PHARMACY;
    LocalDate saleDate = SALE_DATE;
    Snapshots.Pharmacy pharmacy = new Snapshots.Pharmacy(PHARMACY, REGION, PharmacyStatus.ACTIVE,
            LocalDate.of(2026, 1, 1), LocalDate.of(2026, 12, 31));
    boolean personKnown = true;
    String personPsnNo = PSN;
    InsuranceType insuranceType = InsuranceType.EMPLOYEE;
    PersonStatus personStatus = PersonStatus.ACTIVE;
    boolean cardLost;
    Set<String> certNos = new LinkedHashSet<>(List.of(CERT, "440102199001011234"));
    BigDecimal accountBalance = new BigDecimal("1000.00");
    final List<ChronicRegistration> chronic = new ArrayList<>();
    boolean accumulatorsKnown = true;
    int accumulatorYear = 2026;
    BigDecimal poolingDeductibleUsed = BigDecimal.ZERO;
    BigDecimal poolingFundPaid = BigDecimal.ZERO;
    final Map<String, BigDecimal> chronicFundPaid = new HashMap<>();
    final Map<String, CatalogueItem> items = new LinkedHashMap<>();
    Snapshots.Institution institution = new Snapshots.Institution(INSTITUTION, true, Set.of(PHYSICIAN, "D0043"));
    Snapshots.PrescriptionUse prescriptionUse;
    Snapshots.RegisteredPrescription registeredPrescription;
    final Map<String, Snapshots.PriorSupply> priorSupplies = new HashMap<>();

    // ---- policy (DOMAIN.md defaults)
    boolean policyKnown = true;
    int maxDaysSupply = 7;
    int maxDaysSupplyChronic = 30;
    BigDecimal refillThreshold = new BigDecimal("0.80");
    BigDecimal bSelfPayRatio = new BigDecimal("0.10");
    boolean accountCoversOutOfScope = true;
    boolean outpatientPoolingAtPharmacy = true;
    boolean holdAllowsSettlement;
    int maxRxItems = 5;
    int maxRxValidDays = 3;
    final List<BenefitRule> benefits = new ArrayList<>(List.of(
            new BenefitRule(InsuranceType.EMPLOYEE, BenefitKind.CHRONIC, new BigDecimal("0"), new BigDecimal("0.70"), null),
            new BenefitRule(InsuranceType.EMPLOYEE, BenefitKind.POOLING, new BigDecimal("200.00"), new BigDecimal("0.50"), new BigDecimal("2000.00")),
            new BenefitRule(InsuranceType.RESIDENT, BenefitKind.CHRONIC, new BigDecimal("0"), new BigDecimal("0.60"), null),
            new BenefitRule(InsuranceType.RESIDENT, BenefitKind.POOLING, new BigDecimal("0"), new BigDecimal("0.50"), new BigDecimal("300.00"))));
    final Map<String, BigDecimal> chronicCaps = new TreeMap<>(Map.of(
            HYPERTENSION, new BigDecimal("3000"), DIABETES, new BigDecimal("5000"), COPD, new BigDecimal("5000"),
            "I50", new BigDecimal("10000"), "C80", new BigDecimal("30000")));

    static TestData purchase() {
        return new TestData();
    }

    // ---- catalogue items

    static CatalogueItem item(String code, ItemClass itemClass, boolean rx, String paymentStandard, String... diseases) {
        return new CatalogueItem(code, "item " + code, "1 box", itemClass, rx,
                paymentStandard == null ? null : new BigDecimal(paymentStandard), Set.of(diseases));
    }

    /** Class A, over the counter, no payment standard. */
    static CatalogueItem otc(String code) {
        return item(code, ItemClass.A, false, null);
    }

    /** Class A, prescription-only, no payment standard. */
    static CatalogueItem rxItem(String code, String... diseases) {
        return item(code, ItemClass.A, true, null, diseases);
    }

    /** A request line (mutable until {@link #build}). */
    static final class LineSpec {
        Integer lineNo;
        String itemCode;
        BigDecimal quantity;
        BigDecimal unitPrice;
        Integer daysSupply = 7;
        String pharmacistLicence = PHARMACIST;

        SettlementRequest.Line toLine() {
            return new SettlementRequest.Line(lineNo, itemCode, quantity, unitPrice, daysSupply, pharmacistLicence);
        }
    }

    /** Adds a line for the item (and the item to the catalogue), numbered from 1. */
    TestData line(CatalogueItem item, String quantity, String unitPrice) {
        return line(item, quantity, unitPrice, l -> { });
    }

    TestData line(CatalogueItem item, String quantity, String unitPrice, Consumer<LineSpec> tweak) {
        items.put(item.itemCode(), item);
        return lineOfCode(item.itemCode(), quantity, unitPrice, tweak);
    }

    /** Adds a line whose item code is not put in the catalogue. */
    TestData lineOfCode(String itemCode, String quantity, String unitPrice, Consumer<LineSpec> tweak) {
        LineSpec l = new LineSpec();
        l.lineNo = lines.size() + 1;
        l.itemCode = itemCode;
        l.quantity = quantity == null ? null : new BigDecimal(quantity);
        l.unitPrice = unitPrice == null ? null : new BigDecimal(unitPrice);
        tweak.accept(l);
        lines.add(l);
        return this;
    }

    LineSpec lineSpec(int lineNo) {
        return lines.get(lineNo - 1);
    }

    // ---- prescription

    /** An electronic prescription of the default physician for the insured person, issued this morning, valid 1 day. */
    TestData electronicRx() {
        return prescription(true, "2026-11-23T09:40:00+08:00", 1, null);
    }

    TestData paperRx() {
        return prescription(false, "2026-11-23T09:40:00+08:00", 1, null);
    }

    TestData prescription(boolean electronic, String issuedAt, Integer validDays, String diagnosisCode) {
        prescription = new SettlementRequest.Prescription("RX2026112300017", electronic, INSTITUTION, PHYSICIAN, PSN,
                issuedAt == null ? null : OffsetDateTime.parse(issuedAt), validDays, diagnosisCode);
        return this;
    }

    TestData withRx(Consumer<RxSpec> tweak) {
        RxSpec s = new RxSpec(prescription);
        tweak.accept(s);
        prescription = s.build();
        return this;
    }

    /** Mutable copy of a prescription. */
    static final class RxSpec {
        String rxNo;
        Boolean electronic;
        String institutionCode;
        String physicianCode;
        String patientPsnNo;
        OffsetDateTime issuedAt;
        Integer validDays;
        String diagnosisCode;

        RxSpec(SettlementRequest.Prescription p) {
            rxNo = p.rxNo();
            electronic = p.electronic();
            institutionCode = p.institutionCode();
            physicianCode = p.physicianCode();
            patientPsnNo = p.patientPsnNo();
            issuedAt = p.issuedAt();
            validDays = p.validDays();
            diagnosisCode = p.diagnosisCode();
        }

        SettlementRequest.Prescription build() {
            return new SettlementRequest.Prescription(rxNo, electronic, institutionCode, physicianCode, patientPsnNo,
                    issuedAt, validDays, diagnosisCode);
        }
    }

    /**
     * Registers the default electronic prescription ({@link #electronicRx}'s number, institution,
     * physician, patient, issue time and validity) with these item codes and quantities, nothing
     * dispensed yet: {@code registered("XC08CAA0450101", "2", "XA10BAM0001", "1")}.
     */
    TestData registered(String... itemCodeAndQuantity) {
        Map<String, BigDecimal> items = new LinkedHashMap<>();
        for (int i = 0; i < itemCodeAndQuantity.length; i += 2) {
            items.put(itemCodeAndQuantity[i], new BigDecimal(itemCodeAndQuantity[i + 1]));
        }
        registeredPrescription = new Snapshots.RegisteredPrescription("RX2026112300017", INSTITUTION, PHYSICIAN, PSN,
                OffsetDateTime.parse("2026-11-23T09:40:00+08:00"), 1, Map.copyOf(items), Map.of());
        return this;
    }

    TestData withRegistered(Consumer<RegisteredSpec> tweak) {
        RegisteredSpec s = new RegisteredSpec(registeredPrescription);
        tweak.accept(s);
        registeredPrescription = s.build();
        return this;
    }

    /** Mutable copy of a registered prescription. */
    static final class RegisteredSpec {
        String rxNo;
        String institutionCode;
        String physicianCode;
        String patientPsnNo;
        OffsetDateTime issuedAt;
        int validDays;
        Map<String, BigDecimal> items;
        Map<String, BigDecimal> dispensed;

        RegisteredSpec(Snapshots.RegisteredPrescription r) {
            rxNo = r.rxNo();
            institutionCode = r.institutionCode();
            physicianCode = r.physicianCode();
            patientPsnNo = r.patientPsnNo();
            issuedAt = r.issuedAt();
            validDays = r.validDays();
            items = new LinkedHashMap<>(r.items());
            dispensed = new LinkedHashMap<>(r.dispensed());
        }

        Snapshots.RegisteredPrescription build() {
            return new Snapshots.RegisteredPrescription(rxNo, institutionCode, physicianCode, patientPsnNo, issuedAt, validDays,
                    Map.copyOf(items), Map.copyOf(dispensed));
        }
    }

    // ---- person

    TestData resident(String balance) {
        insuranceType = InsuranceType.RESIDENT;
        accountBalance = new BigDecimal(balance);
        return this;
    }

    TestData chronic(String disease) {
        return chronic(disease, LocalDate.of(2026, 1, 1), LocalDate.of(2026, 12, 31));
    }

    TestData chronic(String disease, LocalDate from, LocalDate to) {
        chronic.add(new ChronicRegistration(disease, from, to));
        return this;
    }

    TestData balance(String balance) {
        accountBalance = new BigDecimal(balance);
        return this;
    }

    TestData benefit(InsuranceType type, BenefitKind kind, String deductible, String ratio, String cap) {
        benefits.removeIf(b -> b.insuranceType() == type && b.benefit() == kind);
        benefits.add(new BenefitRule(type, kind, deductible == null ? null : new BigDecimal(deductible),
                ratio == null ? null : new BigDecimal(ratio), cap == null ? null : new BigDecimal(cap)));
        return this;
    }

    TestData prior(String itemCode, LocalDate saleDate, int daysSupply) {
        priorSupplies.put(itemCode, new Snapshots.PriorSupply(itemCode, saleDate, daysSupply));
        return this;
    }

    // ---- build

    SettlementRequest request() {
        return new SettlementRequest("P44010500001202611231015000001", pharmacyCode, SALE_TIME, "op-7",
                new SettlementRequest.Insured(psnNo, certType, certNo), purchaser, prescription, useAccount,
                lines.stream().map(LineSpec::toLine).toList());
    }

    AdjudicationInput build() {
        Snapshots.Person person = personKnown
                ? new Snapshots.Person(personPsnNo, insuranceType, REGION, personStatus, cardLost, Set.copyOf(certNos),
                accountBalance, List.copyOf(chronic))
                : null;
        Snapshots.Accumulators acc = accumulatorsKnown
                ? new Snapshots.Accumulators(accumulatorYear, poolingDeductibleUsed, poolingFundPaid, Map.copyOf(chronicFundPaid))
                : null;
        Snapshots.Policy policy = policyKnown
                ? new Snapshots.Policy(REGION, LocalDate.of(2026, 1, 1), maxDaysSupply, maxDaysSupplyChronic,
                refillThreshold, bSelfPayRatio, accountCoversOutOfScope, outpatientPoolingAtPharmacy, holdAllowsSettlement,
                maxRxItems, maxRxValidDays, List.copyOf(benefits), Map.copyOf(chronicCaps))
                : null;
        return new AdjudicationInput(request(), TERMINAL, terminalPharmacyCode, saleDate, pharmacy, person, acc,
                Map.copyOf(items), institution, prescriptionUse, Map.copyOf(priorSupplies), policy, registeredPrescription);
    }

    Adjudication adjudicate() {
        return new Adjudicator().adjudicate(build());
    }

    Adjudication.Accepted accepted() {
        Adjudication a = adjudicate();
        assertThat(a).as("expected an accepted settlement").isInstanceOf(Adjudication.Accepted.class);
        return (Adjudication.Accepted) a;
    }

    List<SettlementResult.Reject> rejects() {
        Adjudication a = adjudicate();
        assertThat(a).as("expected a rejection").isInstanceOf(Adjudication.Rejected.class);
        return ((Adjudication.Rejected) a).rejects();
    }

    // ---- expected figures

    static BigDecimal m(String amount) {
        return new BigDecimal(amount);
    }

    /** An expected line result; amounts as "0.00" strings. */
    static SettlementResult.LineResult lineResult(int lineNo, String amount, String overLimit, String outOfScope,
                                                  String selfPayFirst, String eligible, String fundPay,
                                                  SettlementResult.Benefit benefit, String accountPay, String cashPay) {
        return new SettlementResult.LineResult(lineNo, m(amount), m(overLimit), m(outOfScope), m(selfPayFirst),
                m(eligible), m(fundPay), benefit, m(accountPay), m(cashPay));
    }

    static SettlementResult.Totals totals(String total, String overLimit, String outOfScope, String selfPayFirst,
                                          String fundPay, String accountPay, String cashPay) {
        return new SettlementResult.Totals(m(total), m(overLimit), m(outOfScope), m(selfPayFirst), m(fundPay),
                m(accountPay), m(cashPay));
    }
}
