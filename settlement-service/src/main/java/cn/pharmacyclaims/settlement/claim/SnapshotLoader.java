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
import java.util.LinkedHashSet;
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
        // Independent reads, pipelined on the transaction's connection (executed in order by the driver).
        return Uni.combine().all().unis(
                        pharmacies.pharmacy(tx, req.pharmacyCode()),
                        pharmacies.terminalPharmacy(tx, cmd.terminalId()),
                        reference.person(tx, psnNo),
                        psnNo == null ? Uni.createFrom().<Snapshots.Accumulators>nullItem()
                                : reference.accumulators(tx, psnNo, saleDate.getYear()),
                        reference.items(tx, itemCodes),
                        reference.institution(tx, rx == null ? null : rx.institutionCode()),
                        store.prescriptionUse(tx, electronicRxNo),
                        store.priorSupplies(tx, psnNo, itemCodes),
                        store.registeredPrescription(tx, electronicRxNo))
                .asTuple()
                .chain(t -> reference.policy(tx, policyRegion(t.getItem1(), t.getItem3()), saleDate)
                        .map(policy -> new AdjudicationInput(req, cmd.terminalId(), t.getItem2(), saleDate, t.getItem1(),
                                t.getItem3(), t.getItem4(), t.getItem5(), t.getItem6(), t.getItem7(), t.getItem8(), policy,
                                t.getItem9())));
    }

    /** For a request rejected before adjudication (CLM-15): the pharmacy's region and the catalogue names of its lines. */
    public Uni<Map.Entry<Snapshots.Pharmacy, Map<String, Snapshots.CatalogueItem>>> pharmacyAndItems(SqlClient tx,
                                                                                                   SettlementRequest req) {
        return pharmacies.pharmacy(tx, req.pharmacyCode())
                .chain(pharmacy -> reference.items(tx, itemCodes(req)).map(items -> Map.entry(pharmacyOrNone(pharmacy), items)));
    }

    private static Snapshots.Pharmacy pharmacyOrNone(Snapshots.Pharmacy p) {
        return p == null ? new Snapshots.Pharmacy(null, null, null, null, null) : p;
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
