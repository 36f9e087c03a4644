package cn.pharmacyclaims.settlement.claim;

import cn.pharmacyclaims.common.events.SettlementCommand;
import cn.pharmacyclaims.common.events.SettlementRequest;
import cn.pharmacyclaims.settlement.adjudication.AdjudicationInput;
import cn.pharmacyclaims.settlement.adjudication.Snapshots;
import cn.pharmacyclaims.settlement.pharmacy.PharmacyDirectory;
import cn.pharmacyclaims.settlement.reference.ReferenceData;
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
 * Loads everything one decision depends on, inside the caller's transaction. For a settlement the
 * caller has locked the person's account row first (CLM-12), so balance, accumulators, supplies
 * and prescription use are the latest committed state.
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
        SettlementRequest req = cmd.settlement();
        String psnNo = req.psnNo();
        Set<String> itemCodes = itemCodes(req);
        SettlementRequest.Prescription rx = req.prescription();
        // CLM-06: only an electronic prescription is tracked as dispensed once, and looked up in the registry.
        String electronicRxNo = rx != null && Boolean.TRUE.equals(rx.electronic()) ? rx.rxNo() : null;
        // Independent reads, pipelined on the transaction's connection (executed in order by the
        // server, one round trip). The policy joins them unless the optional reference cache is on
        // (then it is looked up by region after the pharmacy is known).
        boolean policyNow = !reference.cached();
        List<Uni<?>> reads = new ArrayList<>(List.of(
                pharmacies.pharmacy(tx, req.pharmacyCode()),
                pharmacies.terminalPharmacy(tx, cmd.terminalId()),
                reference.person(tx, psnNo),
                psnNo == null ? Uni.createFrom().<Snapshots.Accumulators>nullItem()
                        : reference.accumulators(tx, psnNo, saleDate.getYear()),
                reference.items(tx, itemCodes),
                reference.institution(tx, rx == null ? null : rx.institutionCode()),
                store.prescriptionUse(tx, electronicRxNo),
                store.priorSupplies(tx, psnNo, itemCodes),
                store.registeredPrescription(tx, electronicRxNo),
                policyNow ? reference.policyForSale(tx, req.pharmacyCode(), psnNo, saleDate)
                        : Uni.createFrom().<Snapshots.Policy>nullItem()));
        return Uni.combine().all().unis(reads).with(results -> new ArrayList<Object>(results)) // may hold nulls
                .chain(r -> {
                    Snapshots.Pharmacy pharmacy = (Snapshots.Pharmacy) r.get(0);
                    Snapshots.Person person = (Snapshots.Person) r.get(2);
                    Uni<Snapshots.Policy> policy = policyNow ? Uni.createFrom().item((Snapshots.Policy) r.get(9))
                            : reference.policy(tx, policyRegion(pharmacy, person), saleDate);
                    return policy.map(p -> input(req, cmd, saleDate, r, p));
                });
    }

    @SuppressWarnings("unchecked")
    private static AdjudicationInput input(SettlementRequest req, SettlementCommand cmd, LocalDate saleDate, List<?> r,
                                           Snapshots.Policy policy) {
        return new AdjudicationInput(req, cmd.terminalId(), (String) r.get(1), saleDate, (Snapshots.Pharmacy) r.get(0),
                (Snapshots.Person) r.get(2), (Snapshots.Accumulators) r.get(3), (Map<String, Snapshots.CatalogueItem>) r.get(4),
                (Snapshots.Institution) r.get(5), (Snapshots.PrescriptionUse) r.get(6), (Map<String, Snapshots.PriorSupply>) r.get(7),
                policy, (Snapshots.RegisteredPrescription) r.get(8));
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
