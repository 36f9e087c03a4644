package cn.pharmacyclaims.deploy.bench;

import cn.pharmacyclaims.common.json.Json;
import cn.pharmacyclaims.deploy.PosClient;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class WorkloadTest {
    static BenchData data;
    static List<PosClient.Terminal> terminals;

    @BeforeAll
    static void registry() {
        data = BenchData.generate("small");
        terminals = new ArrayList<>();
        data.pharmaciesByRegion().values().forEach(codes -> codes.forEach(c -> terminals.add(new PosClient.Terminal("T-" + c, c,
                "secret-" + c))));
    }

    /** Runs n slots, answering every purchase SETTLED at once (so cancellations find candidates). */
    static Map<Workload.Kind, List<Workload.Planned>> drive(Workload w, int n) {
        Map<Workload.Kind, List<Workload.Planned>> byKind = new EnumMap<>(Workload.Kind.class);
        for (int i = 0; i < n; i++) {
            Workload.Planned p = w.next(i, i, true);
            byKind.computeIfAbsent(p.kind(), k -> new ArrayList<>()).add(p);
            if (p.kind().settle && p.kind() != Workload.Kind.NON_MEDICAL && p.kind() != Workload.Kind.UNKNOWN_ITEM) {
                p.purchase().setlId = "S" + i;
                p.purchase().status = "SETTLED";
                w.settled(p.purchase());
            }
        }
        return byKind;
    }

    static Workload workload() {
        return new Workload(data, terminals, Workload.Mix.standard(), 7, () -> 1_795_000_000_000L);
    }

    @Test
    void theMixHasAboutThreePercentRejectionsOnePercentCancellationsAndHalfAPercentReversals() {
        int n = 20_000;
        Map<Workload.Kind, List<Workload.Planned>> byKind = drive(workload(), n);

        double rejections = (size(byKind, Workload.Kind.NON_MEDICAL) + size(byKind, Workload.Kind.UNKNOWN_ITEM)) / (double) n;
        assertThat(rejections).isCloseTo(0.03, within(0.005));
        assertThat(size(byKind, Workload.Kind.CANCEL) / (double) n).isCloseTo(0.01, within(0.003));
        assertThat(size(byKind, Workload.Kind.REVERSAL) / (double) n).isCloseTo(0.005, within(0.002));
        assertThat(size(byKind, Workload.Kind.RX_CHRONIC)).isPositive();
        assertThat(size(byKind, Workload.Kind.RX_POOLING)).isPositive();
        assertThat(size(byKind, Workload.Kind.PURCHASE)).isGreaterThan(n / 2);
    }

    static int size(Map<Workload.Kind, List<Workload.Planned>> m, Workload.Kind k) {
        return m.getOrDefault(k, List.of()).size();
    }

    @Test
    void noPersonBuysTheSameItemTwiceSoRefillTooSoonDoesNotDominate() throws Exception {
        Map<Workload.Kind, List<Workload.Planned>> byKind = drive(workload(), 10_000);
        Set<String> personItem = new HashSet<>();
        int repeats = 0;
        int purchases = 0;
        for (Workload.Kind k : List.of(Workload.Kind.PURCHASE, Workload.Kind.RX_CHRONIC, Workload.Kind.RX_POOLING)) {
            for (Workload.Planned p : byKind.getOrDefault(k, List.of())) {
                JsonNode b = Json.MAPPER.readTree(p.body());
                purchases++;
                if (!personItem.add(b.at("/insured/psnNo").asText() + "|" + b.at("/lines/0/itemCode").asText())) {
                    repeats++;
                }
            }
        }
        // only a person who has bought everything may repeat (never with the small registry in 10,000 slots)
        assertThat(repeats).isLessThan(purchases / 1000 + 1);
    }

    @Test
    void eachPersonBuysAtOnePharmacyOfTheirRegion() throws Exception {
        Map<String, String> pharmacyOf = new HashMap<>();
        Map<String, String> regionOf = new HashMap<>();
        data.pharmaciesByRegion().forEach((region, codes) -> codes.forEach(c -> regionOf.put(c, region)));
        Map<String, String> personRegion = new HashMap<>();
        data.persons().forEach(p -> personRegion.put(p.psnNo(), p.regionCode()));
        for (Workload.Planned p : drive(workload(), 5_000).getOrDefault(Workload.Kind.PURCHASE, List.of())) {
            JsonNode b = Json.MAPPER.readTree(p.body());
            String psn = b.at("/insured/psnNo").asText();
            String pharmacy = b.get("pharmacyCode").asText();
            assertThat(pharmacyOf.computeIfAbsent(psn, k -> pharmacy)).isEqualTo(pharmacy);
            assertThat(regionOf.get(pharmacy)).isEqualTo(personRegion.get(psn));
            assertThat(p.terminal().pharmacyCode()).isEqualTo(pharmacy);
        }
    }

    @Test
    void everyTerminalGetsAboutTheSameShareOfTheLoad() {
        Map<String, Integer> perTerminal = new HashMap<>();
        int n = 20_000;
        drive(workload(), n).values().forEach(ps -> ps.forEach(p -> perTerminal.merge(p.terminal().terminalId(), 1, Integer::sum)));

        double mean = n / (double) terminals.size();
        assertThat(perTerminal).hasSize(terminals.size());
        // the gateway limits each terminal's rate: no terminal may carry much more than its share
        assertThat(perTerminal.values()).allMatch(c -> c < mean * 1.25 && c > mean * 0.75);
    }

    @Test
    void msgIdsAreUniqueWellFormedAndOfTheSendingPharmacy() {
        Set<String> ids = new HashSet<>();
        for (List<Workload.Planned> ps : drive(workload(), 5_000).values()) {
            for (Workload.Planned p : ps) {
                assertThat(p.msgId()).hasSize(30).startsWith(p.terminal().pharmacyCode()).matches("[A-Z0-9]{12}[0-9]{18}");
                assertThat(ids.add(p.msgId())).isTrue();
            }
        }
    }

    @Test
    void chronicPurchasesCarryAnElectronicPrescriptionForTheirDisease() throws Exception {
        Map<String, String> disease = new HashMap<>();
        data.persons().forEach(p -> disease.put(p.psnNo(), p.disease()));
        Map<String, List<String>> covers = new HashMap<>();
        data.items().forEach(i -> covers.put(i.code(), i.chronicDiseases()));
        List<Workload.Planned> chronic = drive(workload(), 5_000).get(Workload.Kind.RX_CHRONIC);

        assertThat(chronic).isNotEmpty();
        for (Workload.Planned p : chronic) {
            JsonNode b = Json.MAPPER.readTree(p.body());
            String psn = b.at("/insured/psnNo").asText();
            assertThat(b.at("/prescription/electronic").asBoolean()).isTrue();
            assertThat(b.at("/prescription/patientPsnNo").asText()).isEqualTo(psn);
            assertThat(b.at("/prescription/institutionCode").asText()).isEqualTo("H44010500003");
            assertThat(b.at("/prescription/physicianCode").asText()).isEqualTo("D0042");
            assertThat(b.at("/prescription/rxNo").asText()).isEqualTo("RX" + p.msgId());
            assertThat(b.at("/lines/0/daysSupply").asInt()).isEqualTo(28);
            assertThat(b.at("/lines/0/pharmacistLicence").asText()).isNotBlank();
            assertThat(covers.get(b.at("/lines/0/itemCode").asText())).contains(disease.get(psn));
        }
    }

    @Test
    void cancellationsAndReversalsAimAtOnePurchaseEachOfTheSamePharmacy() {
        Map<Workload.Kind, List<Workload.Planned>> byKind = drive(workload(), 20_000);
        Set<String> targets = new HashSet<>();
        for (Workload.Kind k : List.of(Workload.Kind.CANCEL, Workload.Kind.REVERSAL)) {
            for (Workload.Planned p : byKind.get(k)) {
                assertThat(targets.add(p.purchase().msgId())).isTrue();
                assertThat(p.terminal()).isEqualTo(p.purchase().terminal);
            }
        }
        Workload.Planned cancel = byKind.get(Workload.Kind.CANCEL).get(0);
        assertThat(cancel.path()).isEqualTo("/api/v1/settlements/" + cancel.purchase().setlId + "/cancel");
        assertThat(byKind.get(Workload.Kind.REVERSAL).get(0).body()).contains("\"originalMsgId\":\"");
    }

    @Test
    void pricesAvoidTheAuditPatternsOfTinyAndRoundAmounts() throws Exception {
        for (Workload.Planned p : drive(workload(), 5_000).getOrDefault(Workload.Kind.PURCHASE, List.of())) {
            JsonNode line = Json.MAPPER.readTree(p.body()).at("/lines/0");
            java.math.BigDecimal price = new java.math.BigDecimal(line.get("unitPrice").asText());
            assertThat(price).isGreaterThanOrEqualTo(new java.math.BigDecimal("10.00"));
            assertThat(price.remainder(new java.math.BigDecimal("50")).signum()).isNotZero();
        }
    }
}
