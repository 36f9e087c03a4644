package cn.pharmacyclaims.settlement.claim;

import cn.pharmacyclaims.common.events.SettlementCommand;
import cn.pharmacyclaims.common.events.SettlementRequest;
import cn.pharmacyclaims.settlement.adjudication.AdjudicationInput;
import cn.pharmacyclaims.settlement.adjudication.Snapshots;
import cn.pharmacyclaims.settlement.pharmacy.PharmacyDirectory;
import cn.pharmacyclaims.settlement.reference.ReferenceData;
import cn.pharmacyclaims.settlement.reference.ReferenceData.PersonYear;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Loads everything the decisions of a group of commands depend on, inside the caller's
 * transaction, in one round trip: each kind of snapshot is one statement for the whole group
 * (keys as arrays), all statements pipelined. For settlements the caller has locked the persons'
 * account rows first (CLM-12), so balances, accumulators, supplies and prescription use are the
 * latest committed state.
 *
 * <p>The commands of one group belong to different persons (one person's commands run one after
 * the other, in order), so no decision of the group depends on another's writes. What two persons
 * could share, an electronic prescription dispensed once (CLM-06), is guarded by the database's
 * unique index: the group's transaction then fails and its commands run one by one.
 */
@ApplicationScoped
public class SnapshotLoader {

    private final PharmacyDirectory pharmacies;
    private final ReferenceData reference;
    private final SettlementStore store;

    public SnapshotLoader(PharmacyDirectory pharmacies, ReferenceData reference, SettlementStore store) {
        this.pharmacies = pharmacies;
        this.reference = reference;
        this.store = store;
    }

    public Uni<AdjudicationInput> load(SqlClient tx, SettlementCommand cmd, LocalDate saleDate) {
        return loadAll(tx, List.of(cmd), List.of(saleDate)).map(inputs -> inputs.get(0));
    }

    /** The inputs of the commands' decisions, in the commands' order; {@code saleDates} matches {@code commands}. */
    public Uni<List<AdjudicationInput>> loadAll(SqlClient tx, List<SettlementCommand> commands, List<LocalDate> saleDates) {
        Set<String> pharmacyCodes = new LinkedHashSet<>();
        Set<String> terminalIds = new LinkedHashSet<>();
        Set<String> psnNos = new LinkedHashSet<>();
        Set<PersonYear> personYears = new LinkedHashSet<>();
        Set<String> itemCodes = new LinkedHashSet<>();
        Set<String> institutionCodes = new LinkedHashSet<>();
        Set<String> electronicRxNos = new LinkedHashSet<>();
        Set<SettlementStore.PersonItem> personItems = new LinkedHashSet<>();
        LocalDate latest = LocalDate.MIN;
        for (int i = 0; i < commands.size(); i++) {
            SettlementCommand cmd = commands.get(i);
            SettlementRequest req = cmd.settlement();
            LocalDate saleDate = saleDates.get(i);
            latest = saleDate.isAfter(latest) ? saleDate : latest;
            addIfPresent(pharmacyCodes, req.pharmacyCode());
            addIfPresent(terminalIds, cmd.terminalId());
            if (req.psnNo() != null) {
                psnNos.add(req.psnNo());
                personYears.add(new PersonYear(req.psnNo(), saleDate.getYear()));
            }
            Set<String> codes = itemCodes(req);
            itemCodes.addAll(codes);
            if (req.psnNo() != null) {
                codes.forEach(code -> personItems.add(new SettlementStore.PersonItem(req.psnNo(), code)));
            }
            SettlementRequest.Prescription rx = req.prescription();
            if (rx != null) {
                addIfPresent(institutionCodes, rx.institutionCode());
                addIfPresent(electronicRxNos, electronicRxNo(rx));
            }
        }
        // Independent reads, pipelined on the transaction's connection (executed in order by the
        // server, one round trip). The policies join them unless the optional reference cache is on
        // (then each sale's is looked up by region after the pharmacy is known).
        boolean policyNow = !reference.cached();
        List<Uni<?>> reads = List.of(
                pharmacies.pharmacies(tx, pharmacyCodes),
                pharmacies.terminalPharmacies(tx, terminalIds),
                reference.persons(tx, psnNos),
                reference.accumulators(tx, personYears),
                reference.items(tx, itemCodes),
                reference.institutions(tx, institutionCodes),
                store.prescriptionUses(tx, electronicRxNos),
                store.priorSupplies(tx, personItems),
                store.registeredPrescriptions(tx, electronicRxNos),
                policyNow ? reference.policyVersions(tx, pharmacyCodes, psnNos, latest) : Uni.createFrom().item(Map.of()));
        return Uni.combine().all().unis(reads).with(r -> new Loaded(r)).chain(loaded -> {
            List<Uni<Snapshots.Policy>> policies = new ArrayList<>(commands.size());
            for (int i = 0; i < commands.size(); i++) {
                SettlementRequest req = commands.get(i).settlement();
                String region = policyRegion(loaded.pharmacies().get(req.pharmacyCode()), loaded.persons().get(req.psnNo()));
                policies.add(policyNow ? Uni.createFrom().item(region == null ? null
                        : ReferenceData.inForce(loaded.policyVersions().get(region), saleDates.get(i)))
                        : reference.policy(tx, region, saleDates.get(i)));
            }
            return Uni.join().all(policies).andFailFast().map(p -> {
                List<AdjudicationInput> inputs = new ArrayList<>(commands.size());
                for (int i = 0; i < commands.size(); i++) {
                    inputs.add(loaded.input(commands.get(i), saleDates.get(i), p.get(i)));
                }
                return inputs;
            });
        });
    }

    /** The group's snapshots, in the order of the reads above. */
    @SuppressWarnings("unchecked")
    private record Loaded(Map<String, Snapshots.Pharmacy> pharmacies, Map<String, String> terminals,
                          Map<String, Snapshots.Person> persons, Map<PersonYear, Snapshots.Accumulators> accumulators,
                          Map<String, Snapshots.CatalogueItem> items, Map<String, Snapshots.Institution> institutions,
                          Map<String, Snapshots.PrescriptionUse> prescriptionUses,
                          Map<String, Map<String, Snapshots.PriorSupply>> priorSupplies,
                          Map<String, Snapshots.RegisteredPrescription> registered,
                          Map<String, List<Snapshots.Policy>> policyVersions) {
        Loaded(List<?> r) {
            this((Map<String, Snapshots.Pharmacy>) r.get(0), (Map<String, String>) r.get(1), (Map<String, Snapshots.Person>) r.get(2),
                    (Map<PersonYear, Snapshots.Accumulators>) r.get(3), (Map<String, Snapshots.CatalogueItem>) r.get(4),
                    (Map<String, Snapshots.Institution>) r.get(5), (Map<String, Snapshots.PrescriptionUse>) r.get(6),
                    (Map<String, Map<String, Snapshots.PriorSupply>>) r.get(7),
                    (Map<String, Snapshots.RegisteredPrescription>) r.get(8), (Map<String, List<Snapshots.Policy>>) r.get(9));
        }

        /** One command's view: only its own keys (items, supplies and registry entries of the others are not its). */
        AdjudicationInput input(SettlementCommand cmd, LocalDate saleDate, Snapshots.Policy policy) {
            SettlementRequest req = cmd.settlement();
            Set<String> codes = itemCodes(req);
            SettlementRequest.Prescription rx = req.prescription();
            String rxNo = rx == null ? null : electronicRxNo(rx);
            return new AdjudicationInput(req, cmd.terminalId(), cmd.terminalId() == null ? null : terminals.get(cmd.terminalId()),
                    saleDate, req.pharmacyCode() == null ? null : pharmacies.get(req.pharmacyCode()),
                    req.psnNo() == null ? null : persons.get(req.psnNo()),
                    req.psnNo() == null ? null : accumulators.get(new PersonYear(req.psnNo(), saleDate.getYear())),
                    only(items, codes), rx == null || rx.institutionCode() == null ? null : institutions.get(rx.institutionCode()),
                    rxNo == null ? null : prescriptionUses.get(rxNo),
                    req.psnNo() == null ? Map.of() : only(priorSupplies.getOrDefault(req.psnNo(), Map.of()), codes),
                    policy, rxNo == null ? null : registered.get(rxNo));
        }
    }

    private static <V> Map<String, V> only(Map<String, V> all, Set<String> keys) {
        if (all.isEmpty()) {
            return Map.of();
        }
        Map<String, V> out = new java.util.HashMap<>();
        for (String k : keys) {
            V v = all.get(k);
            if (v != null) {
                out.put(k, v);
            }
        }
        return Map.copyOf(out);
    }

    /** CLM-06: only an electronic prescription is tracked as dispensed once, and looked up in the registry. */
    private static String electronicRxNo(SettlementRequest.Prescription rx) {
        return Boolean.TRUE.equals(rx.electronic()) ? rx.rxNo() : null;
    }

    private static void addIfPresent(Set<String> set, String value) {
        if (value != null) {
            set.add(value);
        }
    }

    /** The settlement happens in the pharmacy's pooling region; the person's region only if the copy lacks one. */
    static String policyRegion(Snapshots.Pharmacy pharmacy, Snapshots.Person person) {
        if (pharmacy != null && pharmacy.regionCode() != null) {
            return pharmacy.regionCode();
        }
        return person == null ? null : person.regionCode();
    }

    private static Set<String> itemCodes(SettlementRequest req) {
        Set<String> codes = new LinkedHashSet<>();
        req.lines().stream().filter(Objects::nonNull).map(SettlementRequest.Line::itemCode).filter(Objects::nonNull).forEach(codes::add);
        return codes;
    }
}
