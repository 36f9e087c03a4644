package cn.pharmacyclaims.agreement.application;

import cn.pharmacyclaims.agreement.ban.Person;
import cn.pharmacyclaims.agreement.lifecycle.AgreementType;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** SQL for applications. Writers lock the application row first, then the pharmacy (the scheduler's renewal step too). */
@ApplicationScoped
public class ApplicationStore {

    public Uni<Application> insert(SqlClient tx, Application a, OffsetDateTime now) {
        PharmacyDetails p = a.details();
        Person legal = a.legalRepresentative();
        Person ctl = a.actualController();
        Preconditions pre = a.preconditions();
        return tx.preparedQuery("""
                        INSERT INTO application (kind, pharmacy_code, region_code, agreement_type, pharmacy_name, address, lat, lon,
                               business_hours, legal_rep_id_type, legal_rep_id_number, controller_id_type, controller_id_number,
                               licence_number, months_at_address, pharmacists, insurance_manager, online_settlement, status, received_on,
                               evaluation_round, round_started_on, created_at, updated_at)
                        VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, 1, $20, $21, $21)
                        RETURNING *""")
                .execute(Tuple.from(Arrays.asList(a.kind().name(), a.pharmacyCode(), a.regionCode(), a.agreementType().name(),
                        p == null ? null : p.name(), p == null ? null : p.address(), p == null ? null : p.lat(), p == null ? null : p.lon(),
                        p == null ? null : p.businessHours(), legal == null ? null : legal.idType(), legal == null ? null : legal.idNumber(),
                        ctl == null ? null : ctl.idType(), ctl == null ? null : ctl.idNumber(),
                        pre.licenceNumber() == null ? "" : pre.licenceNumber(), pre.monthsAtAddress(), pre.pharmacists(),
                        pre.insuranceManager(), pre.onlineSettlement(), a.status().name(), a.receivedOn(), now)))
                .map(ApplicationStore::first);
    }

    public Uni<Void> update(SqlClient tx, Application a, OffsetDateTime now) {
        return tx.preparedQuery("""
                        UPDATE application SET status = $2, evaluation_round = $3, round_started_on = $4, materials_complete_on = $5,
                               notice_issued_on = $6, missing_items = $7, supplement_received_on = $8, paused_days = $9, result = $10,
                               result_reasons = $11, result_delivered_on = $12, term_from = $13, term_to = $14, agreement_id = $15,
                               version = $16, updated_at = $17
                        WHERE id = $1""")
                .execute(Tuple.from(Arrays.asList(a.id(), a.status().name(), a.round(), a.roundStartedOn(), a.materialsCompleteOn(),
                        a.noticeIssuedOn(), a.missingItems() == null ? null : String.join("\n", a.missingItems()), a.supplementReceivedOn(),
                        a.pausedDays(), a.result(), a.resultReasons(), a.resultDeliveredOn(), a.termFrom(), a.termTo(), a.agreementId(),
                        a.version(), now)))
                .replaceWithVoid();
    }

    public Uni<Application> lock(SqlClient tx, long id) {
        return tx.preparedQuery("SELECT * FROM application WHERE id = $1 FOR UPDATE").execute(Tuple.of(id)).map(ApplicationStore::first);
    }

    public Uni<Application> find(SqlClient db, long id) {
        return db.preparedQuery("SELECT * FROM application WHERE id = $1").execute(Tuple.of(id)).map(ApplicationStore::first);
    }

    public Uni<List<Application>> ofPharmacy(SqlClient db, String code) {
        return db.preparedQuery("SELECT * FROM application WHERE pharmacy_code = $1 ORDER BY id").execute(Tuple.of(code))
                .map(ApplicationStore::all);
    }

    /** The open application of the pharmacy in the region (one at most), or null. */
    public Uni<Application> open(SqlClient db, String code, String region) {
        return db.preparedQuery("""
                        SELECT * FROM application WHERE pharmacy_code = $1 AND region_code = $2
                          AND (status IN ('UNDER_EVALUATION', 'MATERIALS_INCOMPLETE', 'PASSED', 'FAILED')
                               OR (status = 'SIGNED' AND agreement_id IS NULL))""")
                .execute(Tuple.of(code, region)).map(ApplicationStore::first);
    }

    /** AGR-05: signed renewals whose term starts by {@code today}; SKIP LOCKED: one instance starts each. */
    public Uni<List<Application>> claimDueRenewals(SqlClient tx, LocalDate today, int limit) {
        return tx.preparedQuery("""
                        SELECT * FROM application WHERE status = 'SIGNED' AND agreement_id IS NULL AND term_from <= $1
                        ORDER BY id LIMIT $2 FOR UPDATE SKIP LOCKED""")
                .execute(Tuple.of(today, limit)).map(ApplicationStore::all);
    }

    private static Application first(RowSet<Row> rs) {
        var it = rs.iterator();
        return it.hasNext() ? map(it.next()) : null;
    }

    private static List<Application> all(RowSet<Row> rs) {
        List<Application> out = new ArrayList<>(rs.size());
        rs.forEach(r -> out.add(map(r)));
        return out;
    }

    static Application map(Row r) {
        PharmacyDetails details = r.getString("pharmacy_name") == null ? null : new PharmacyDetails(r.getString("pharmacy_name"),
                r.getString("address"), r.getDouble("lat"), r.getDouble("lon"), r.getString("business_hours"));
        Person legal = r.getString("legal_rep_id_number") == null ? null
                : new Person(r.getString("legal_rep_id_type"), r.getString("legal_rep_id_number"));
        Person ctl = r.getString("controller_id_number") == null ? null
                : new Person(r.getString("controller_id_type"), r.getString("controller_id_number"));
        Preconditions pre = new Preconditions(r.getString("licence_number"), r.getInteger("months_at_address"), r.getInteger("pharmacists"),
                r.getBoolean("insurance_manager"), r.getBoolean("online_settlement"));
        String missing = r.getString("missing_items");
        return new Application(r.getLong("id"), ApplicationKind.valueOf(r.getString("kind")), r.getString("pharmacy_code"),
                r.getString("region_code"), AgreementType.valueOf(r.getString("agreement_type")), details, legal, ctl, pre,
                ApplicationStatus.valueOf(r.getString("status")), r.getLocalDate("received_on"), r.getInteger("evaluation_round"),
                r.getLocalDate("round_started_on"), r.getLocalDate("materials_complete_on"), r.getLocalDate("notice_issued_on"),
                missing == null ? null : List.of(missing.split("\n")), r.getLocalDate("supplement_received_on"), r.getInteger("paused_days"),
                r.getString("result"), r.getString("result_reasons"), r.getLocalDate("result_delivered_on"), r.getLocalDate("term_from"),
                r.getLocalDate("term_to"), r.getLong("agreement_id"), r.getLong("version"));
    }
}
