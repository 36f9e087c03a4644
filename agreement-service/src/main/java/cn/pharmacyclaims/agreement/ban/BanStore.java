package cn.pharmacyclaims.agreement.ban;

import cn.pharmacyclaims.agreement.BeijingTime;
import cn.pharmacyclaims.agreement.history.Cause;
import cn.pharmacyclaims.agreement.history.RecordEntry;
import cn.pharmacyclaims.agreement.history.RecordHistory;
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

/** SQL for AGR-12 bans and the AGR-01 dishonest-party list. Bans are append-only (SEC-04). */
@ApplicationScoped
public class BanStore {
    public static final String SUBJECT = "BAN";

    /**
     * @param subjectKey   {@link Person#subjectKey()} or {@link Person#pharmacyKey}
     * @param origin       the cause; one cause bans a subject once (a cascade terminating several regions' agreements)
     */
    public record NewBan(String subjectKey, String subjectType, String pharmacyCode, String personRole, BanRules.Period period,
                         String reason, String ruleId, String origin) {
    }

    /** A listed dishonest party (失信) that bars an application. */
    public record Listing(String subject, String subjectType, LocalDate listedOn, LocalDate untilDate, String source) {
    }

    private final RecordHistory records;

    public BanStore(RecordHistory records) {
        this.records = records;
    }

    /** Adds the ban unless the same cause banned the same subject already; answers the ban when it is new. */
    public Uni<Ban> add(SqlClient tx, NewBan b, Cause cause, OffsetDateTime now) {
        return tx.preparedQuery("""
                        INSERT INTO reapplication_ban (subject_key, subject_type, pharmacy_code, person_role, from_date, until_date,
                               reason, rule_id, origin, actor, created_at)
                        VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
                        ON CONFLICT (subject_key, origin) DO NOTHING RETURNING *""")
                .execute(Tuple.from(Arrays.asList(b.subjectKey(), b.subjectType(), b.pharmacyCode(), b.personRole(), b.period().from(),
                        b.period().until(), b.reason(), b.ruleId(), b.origin(), cause.actor(), now)))
                .flatMap(rs -> {
                    if (rs.size() == 0) {
                        return Uni.createFrom().nullItem();
                    }
                    Ban ban = map(rs.iterator().next());
                    return records.append(tx, RecordEntry.of(b.pharmacyCode(), SUBJECT, ban.id(), "BANNED", null, null,
                                    ban.subject() + " may not apply until " + ban.untilDate() + ": " + ban.reason(), ban.ruleId(), cause, now))
                            .replaceWith(ban);
                });
    }

    /** Bans in force on {@code day} for any of the subjects. */
    public Uni<List<Ban>> activeFor(SqlClient db, List<String> subjectKeys, LocalDate day) {
        return db.preparedQuery("""
                        SELECT * FROM reapplication_ban WHERE subject_key = ANY($1) AND from_date <= $2 AND until_date > $2
                        ORDER BY id""")
                .execute(Tuple.of(subjectKeys.toArray(new String[0]), day)).map(BanStore::all);
    }

    public Uni<List<Ban>> ofPharmacy(SqlClient db, String pharmacyCode) {
        return db.preparedQuery("SELECT * FROM reapplication_ban WHERE pharmacy_code = $1 ORDER BY id")
                .execute(Tuple.of(pharmacyCode)).map(BanStore::all);
    }

    /** AGR-01: listings in force on {@code day} for any of the subjects. */
    public Uni<List<Listing>> listedAmong(SqlClient db, List<String> subjectKeys, LocalDate day) {
        return db.preparedQuery("""
                        SELECT * FROM dishonest_party WHERE subject_key = ANY($1) AND listed_on <= $2
                          AND (until_date IS NULL OR until_date >= $2) ORDER BY subject_key""")
                .execute(Tuple.of(subjectKeys.toArray(new String[0]), day))
                .map(rs -> {
                    List<Listing> out = new ArrayList<>();
                    rs.forEach(r -> out.add(new Listing(Person.maskKey(r.getString("subject_key")), r.getString("subject_type"),
                            r.getLocalDate("listed_on"), r.getLocalDate("until_date"), r.getString("source"))));
                    return out;
                });
    }

    /** Upserts listings; answers how many were new. */
    public Uni<Integer> upsertListings(SqlClient tx, List<DishonestPartyRow.Valid> rows, String actor, OffsetDateTime now) {
        if (rows.isEmpty()) {
            return Uni.createFrom().item(0);
        }
        List<Tuple> batch = new ArrayList<>();
        for (DishonestPartyRow.Valid v : rows) {
            batch.add(Tuple.from(Arrays.asList(v.subjectKey(), v.subjectType(), v.listedOn(), v.untilDate(), v.source(), actor, now)));
        }
        return tx.preparedQuery("SELECT count(*) AS n FROM dishonest_party WHERE subject_key = ANY($1)")
                .execute(Tuple.of(rows.stream().map(DishonestPartyRow.Valid::subjectKey).toArray(String[]::new)))
                .map(rs -> rs.iterator().next().getLong("n").intValue())
                .call(x -> tx.preparedQuery("""
                                INSERT INTO dishonest_party (subject_key, subject_type, listed_on, until_date, source, imported_by, imported_at)
                                VALUES ($1, $2, $3, $4, $5, $6, $7)
                                ON CONFLICT (subject_key) DO UPDATE SET listed_on = EXCLUDED.listed_on, until_date = EXCLUDED.until_date,
                                       source = EXCLUDED.source, imported_by = EXCLUDED.imported_by, imported_at = EXCLUDED.imported_at""")
                        .executeBatch(batch))
                .map(existing -> rows.size() - existing);
    }

    private static List<Ban> all(RowSet<Row> rs) {
        List<Ban> out = new ArrayList<>(rs.size());
        rs.forEach(r -> out.add(map(r)));
        return out;
    }

    private static Ban map(Row r) {
        return new Ban(r.getLong("id"), Person.maskKey(r.getString("subject_key")), r.getString("subject_type"),
                r.getString("pharmacy_code"), r.getString("person_role"), r.getLocalDate("from_date"), r.getLocalDate("until_date"),
                r.getString("reason"), r.getString("rule_id"), r.getString("origin"), r.getString("actor"),
                BeijingTime.inBeijing(r.getOffsetDateTime("created_at")));
    }
}
