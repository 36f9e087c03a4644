package cn.pharmacyclaims.settlement.bench;

import cn.pharmacyclaims.common.events.PharmacyStatus;
import cn.pharmacyclaims.common.events.SettlementRequest;
import cn.pharmacyclaims.settlement.adjudication.Adjudication;
import cn.pharmacyclaims.settlement.adjudication.AdjudicationInput;
import cn.pharmacyclaims.settlement.adjudication.Adjudicator;
import cn.pharmacyclaims.settlement.adjudication.Snapshots;
import cn.pharmacyclaims.settlement.adjudication.Snapshots.BenefitKind;
import cn.pharmacyclaims.settlement.adjudication.Snapshots.InsuranceType;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 3 speed: "the adjudication itself (without network) stays under 2 ms at the 99th
 * percentile with the demo data loaded". Times the pure {@link Adjudicator} (CLM-02…CLM-11, no
 * database, no clock) on realistic inputs built like the demo registry: a 2,000-item catalogue
 * (class A/B/C, 40% Rx, payment standards, chronic coverage), employees and residents, chronic
 * registrations, accumulators part-used, prior supplies, electronic prescriptions (half of them
 * registered), 1 to 8 lines, one request in ten with 20 to 40 lines; then the POS maximum of 100
 * lines. Each call is timed on its own after a warm-up; percentiles by sorting the samples.
 *
 * <p>Not part of the suite (tag {@code bench}); run with
 * {@code ./mvnw -B -pl settlement-service test -Dgroups=bench -Dtest=AdjudicationBench}, or as a
 * plain main class. The in-database transaction is measured by {@link SettlementTransactionBench}.
 * No assertion on time: the figures go to stdout, {@code target/bench/adjudication.md} and, by
 * hand, docs/performance.md.
 */
@Tag("bench")
class AdjudicationBench {

    static final LocalDate SALE_DATE = LocalDate.now(java.time.ZoneId.of("Asia/Shanghai"));
    static final OffsetDateTime SALE_TIME = SALE_DATE.atTime(10, 15).atOffset(java.time.ZoneOffset.ofHours(8));
    static final String PHARMACY = "P44010500001";
    static final String REGION = "440105";
    static final String INSTITUTION = "H44010500003";
    static final String PHYSICIAN = "D0042";
    static final List<String> DISEASES = List.of("I10", "E11", "J44");

    private static final int INPUTS = 10_000;
    private static final int WARMUP_PASSES = 5;
    private static final int MEASURED_PASSES = 10;

    public static void main(String[] args) {
        System.out.println(new AdjudicationBench().run());
    }

    @Test
    void pureAdjudicatorPercentiles() {
        String report = run();
        System.out.println(report);
        Samples.write("adjudication.md", report);
    }

    String run() {
        String loadBefore = Samples.load();
        World world = new World(new Random(42));
        List<AdjudicationInput> typical = new ArrayList<>();
        List<AdjudicationInput> many = new ArrayList<>();
        for (int i = 0; i < INPUTS; i++) {
            AdjudicationInput in = world.input(i);
            (in.request().lines().size() >= 20 ? many : typical).add(in);
        }
        List<AdjudicationInput> hundred = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            hundred.add(world.input(INPUTS + i, 100));
        }
        List<AdjudicationInput> all = new ArrayList<>(typical);
        all.addAll(many);
        java.util.Collections.shuffle(all, new Random(7));

        Adjudicator adjudicator = new Adjudicator();
        long accepted = 0;
        for (int pass = 0; pass < WARMUP_PASSES; pass++) {
            for (AdjudicationInput in : all) {
                accepted += adjudicator.adjudicate(in) instanceof Adjudication.Accepted ? 1 : 0;
            }
            for (AdjudicationInput in : hundred) {
                adjudicator.adjudicate(in);
            }
        }
        double acceptedShare = accepted / (double) (WARMUP_PASSES * all.size());
        assertThat(acceptedShare).as("the inputs are purchases that settle, not rejects").isGreaterThan(0.95);

        Samples typicalSamples = new Samples(MEASURED_PASSES * typical.size());
        Samples manySamples = new Samples(MEASURED_PASSES * many.size());
        Samples hundredSamples = new Samples(MEASURED_PASSES * hundred.size());
        for (int pass = 0; pass < MEASURED_PASSES; pass++) {
            for (AdjudicationInput in : all) {
                long t0 = System.nanoTime();
                Adjudication a = adjudicator.adjudicate(in);
                long t = System.nanoTime() - t0;
                (in.request().lines().size() >= 20 ? manySamples : typicalSamples).add(t);
                if (a == null) {
                    throw new IllegalStateException();
                }
            }
            for (AdjudicationInput in : hundred) {
                long t0 = System.nanoTime();
                adjudicator.adjudicate(in);
                hundredSamples.add(System.nanoTime() - t0);
            }
        }
        Samples mix = Samples.of(typicalSamples, manySamples);
        return String.join("\n",
                "Pure Adjudicator (CLM-02..CLM-11, no database), " + SALE_DATE + ", JDK " + System.getProperty("java.version")
                        + ", " + Runtime.getRuntime().availableProcessors() + " CPUs, load average before " + loadBefore
                        + ", after " + Samples.load(),
                String.format(Locale.ROOT, "inputs: %,d requests (%,d with 20-40 lines), %d of 100 lines; warm-up %d passes, "
                                + "measured %d passes; %.1f%% accepted", all.size(), many.size(), hundred.size(), WARMUP_PASSES,
                        MEASURED_PASSES, acceptedShare * 100),
                "",
                Samples.header(),
                mix.row("all requests (1-8 lines; 10% 20-40 lines)"),
                typicalSamples.row("1-8 lines"),
                manySamples.row("20-40 lines"),
                hundredSamples.row("100 lines (POS maximum)"),
                "");
    }

    /** A demo-sized world of snapshots, deterministic for a seed. */
    static final class World {
        private final Random rnd;
        private final List<Snapshots.CatalogueItem> otc = new ArrayList<>();
        private final List<Snapshots.CatalogueItem> rx = new ArrayList<>();
        private final Map<String, List<Snapshots.CatalogueItem>> byDisease = new HashMap<>();
        private final Map<String, Snapshots.CatalogueItem> catalogue = new HashMap<>();
        private final Snapshots.Policy policy;
        private final Snapshots.Pharmacy pharmacy = new Snapshots.Pharmacy(PHARMACY, REGION, PharmacyStatus.ACTIVE,
                SALE_DATE.withDayOfYear(1), SALE_DATE.withDayOfYear(1).plusYears(1).minusDays(1));
        private final Snapshots.Institution institution = new Snapshots.Institution(INSTITUTION, true, Set.of(PHYSICIAN, "D0043"));

        World(Random rnd) {
            this.rnd = rnd;
            for (int g = 1; g <= 2000; g++) {
                Snapshots.ItemClass cls = g % 10 < 6 ? Snapshots.ItemClass.A : g % 10 < 9 ? Snapshots.ItemClass.B : Snapshots.ItemClass.C;
                boolean isRx = g % 5 < 2;
                Set<String> diseases = g % 20 < 3 ? Set.of(DISEASES.get(g % 20)) : Set.of();
                Snapshots.CatalogueItem item = new Snapshots.CatalogueItem(String.format("BX%06d", g), "bench item " + g,
                        "10mg*28", cls, isRx, g % 2 == 0 ? new BigDecimal("20.00") : null, diseases);
                catalogue.put(item.itemCode(), item);
                (isRx ? rx : otc).add(item);
                diseases.forEach(d -> byDisease.computeIfAbsent(d, k -> new ArrayList<>()).add(item));
            }
            policy = new Snapshots.Policy(REGION, SALE_DATE.withDayOfYear(1), 7, 30, new BigDecimal("0.80"), new BigDecimal("0.10"),
                    true, true, false, 5, 3, List.of(
                    new Snapshots.BenefitRule(InsuranceType.EMPLOYEE, BenefitKind.CHRONIC, BigDecimal.ZERO, new BigDecimal("0.70"), null),
                    new Snapshots.BenefitRule(InsuranceType.EMPLOYEE, BenefitKind.POOLING, new BigDecimal("200.00"),
                            new BigDecimal("0.50"), new BigDecimal("2000.00")),
                    new Snapshots.BenefitRule(InsuranceType.RESIDENT, BenefitKind.CHRONIC, BigDecimal.ZERO, new BigDecimal("0.60"), null),
                    new Snapshots.BenefitRule(InsuranceType.RESIDENT, BenefitKind.POOLING, BigDecimal.ZERO, new BigDecimal("0.50"),
                            new BigDecimal("300.00"))),
                    Map.of("I10", new BigDecimal("3000"), "E11", new BigDecimal("5000"), "J44", new BigDecimal("5000")));
        }

        AdjudicationInput input(int i) {
            int lines = rnd.nextInt(10) == 0 ? 20 + rnd.nextInt(21) : 1 + rnd.nextInt(8);
            return input(i, lines);
        }

        AdjudicationInput input(int i, int lineCount) {
            String psnNo = String.format("44%018d", i);
            boolean employee = rnd.nextInt(10) < 6;
            String disease = rnd.nextInt(10) < 3 ? DISEASES.get(rnd.nextInt(DISEASES.size())) : null;
            Snapshots.Person person = new Snapshots.Person(psnNo, employee ? InsuranceType.EMPLOYEE : InsuranceType.RESIDENT, REGION,
                    Snapshots.PersonStatus.ACTIVE, false, Set.of("C" + psnNo),
                    employee ? BigDecimal.valueOf(rnd.nextInt(500_000), 2) : BigDecimal.ZERO.setScale(2),
                    disease == null ? List.of() : List.of(new Snapshots.ChronicRegistration(disease, SALE_DATE.minusYears(1), null)));
            Snapshots.Accumulators acc = new Snapshots.Accumulators(SALE_DATE.getYear(), BigDecimal.valueOf(rnd.nextInt(20_001), 2),
                    BigDecimal.valueOf(rnd.nextInt(150_001), 2),
                    disease == null ? Map.of() : Map.of(disease, BigDecimal.valueOf(rnd.nextInt(250_001), 2)));

            // Lines: a chronic person's drug first, up to 3 Rx items (5 at most on a prescription), OTC for the rest.
            Set<Snapshots.CatalogueItem> chosen = new LinkedHashSet<>();
            if (disease != null) {
                List<Snapshots.CatalogueItem> covering = byDisease.get(disease);
                chosen.add(covering.get(rnd.nextInt(covering.size())));
            }
            int rxLines = rnd.nextInt(2) == 0 ? 0 : 1 + rnd.nextInt(3);
            while (chosen.stream().filter(Snapshots.CatalogueItem::rx).count() < Math.min(rxLines, lineCount) && chosen.size() < lineCount) {
                chosen.add(rx.get(rnd.nextInt(rx.size())));
            }
            while (chosen.size() < lineCount) {
                chosen.add(otc.get(rnd.nextInt(otc.size())));
            }
            while (chosen.stream().filter(Snapshots.CatalogueItem::rx).count() > 5) { // a chronic drug may have pushed it over
                Snapshots.CatalogueItem extra = chosen.stream().filter(Snapshots.CatalogueItem::rx).reduce((a, b) -> b).orElseThrow();
                chosen.remove(extra);
                chosen.add(otc.get(rnd.nextInt(otc.size())));
            }
            List<SettlementRequest.Line> lines = new ArrayList<>();
            Map<String, Snapshots.CatalogueItem> items = new HashMap<>();
            Map<String, BigDecimal> prescribed = new LinkedHashMap<>();
            Map<String, Snapshots.PriorSupply> prior = new HashMap<>();
            int n = 1;
            for (Snapshots.CatalogueItem item : chosen) {
                boolean chronicLine = disease != null && item.chronicDiseases().contains(disease);
                BigDecimal quantity = BigDecimal.valueOf(1 + rnd.nextInt(3));
                BigDecimal price = BigDecimal.valueOf(500 + rnd.nextInt(5500), 2).add(new BigDecimal("0.0050").multiply(
                        BigDecimal.valueOf(rnd.nextInt(2))));
                lines.add(new SettlementRequest.Line(n++, item.itemCode(), quantity, price, chronicLine ? 28 : 7, "PH-0091"));
                items.put(item.itemCode(), catalogue.get(item.itemCode()));
                if (item.rx()) {
                    prescribed.put(item.itemCode(), quantity.add(BigDecimal.valueOf(rnd.nextInt(2))));
                }
                if (rnd.nextInt(10) < 2) { // bought before, long enough ago (CLM-08 passes)
                    prior.put(item.itemCode(), new Snapshots.PriorSupply(item.itemCode(), SALE_DATE.minusDays(20), 7));
                }
            }
            SettlementRequest.Prescription prescription = null;
            Snapshots.RegisteredPrescription registered = null;
            if (!prescribed.isEmpty()) {
                String rxNo = "RX" + String.format("%013d", i);
                OffsetDateTime issued = SALE_TIME.minusHours(2);
                prescription = new SettlementRequest.Prescription(rxNo, true, INSTITUTION, PHYSICIAN, psnNo, issued, 1, disease);
                if (rnd.nextBoolean()) {
                    registered = new Snapshots.RegisteredPrescription(rxNo, INSTITUTION, PHYSICIAN, psnNo, issued, 1,
                            Map.copyOf(prescribed), Map.of());
                }
            }
            SettlementRequest request = new SettlementRequest(PHARMACY + "20261123101500" + String.format("%04d", i % 10_000),
                    PHARMACY, SALE_TIME, "op-7", new SettlementRequest.Insured(psnNo, SettlementRequest.CertType.SOCIAL_CARD, "C" + psnNo),
                    null, prescription, Boolean.TRUE, List.copyOf(lines));
            return new AdjudicationInput(request, "T-1", PHARMACY, SALE_DATE, pharmacy, person, acc, Map.copyOf(items),
                    prescription == null ? null : institution, null, Map.copyOf(prior), policy, registered);
        }
    }
}
