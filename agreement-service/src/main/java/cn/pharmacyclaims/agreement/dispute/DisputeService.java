package cn.pharmacyclaims.agreement.dispute;

import cn.pharmacyclaims.agreement.BeijingTime;
import cn.pharmacyclaims.agreement.history.Cause;
import cn.pharmacyclaims.agreement.history.RecordEntry;
import cn.pharmacyclaims.agreement.history.RecordHistory;
import cn.pharmacyclaims.agreement.history.Source;
import cn.pharmacyclaims.agreement.history.StatusHistory;
import cn.pharmacyclaims.agreement.pharmacy.PharmacyStore;
import cn.pharmacyclaims.platform.web.Problem.FieldError;
import cn.pharmacyclaims.platform.web.ProblemException;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * AGR-13: disputes (negotiation, coordination by the authority, administrative review, lawsuit) are
 * recorded against a decision of the pharmacy's history. They never block or change the decision.
 */
@ApplicationScoped
public class DisputeService {
    public static final String SUBJECT = "DISPUTE";
    static final List<String> KINDS = List.of("NEGOTIATION", "COORDINATION", "ADMINISTRATIVE_REVIEW", "LAWSUIT");
    static final int MAX_TEXT = 4000;

    public record DisputeRequest(String kind, Long historyId, Long recordId, String text) {
    }

    private final Pool pool;
    private final PharmacyStore pharmacies;
    private final StatusHistory history;
    private final RecordHistory records;
    private final Clock clock;

    public DisputeService(Pool pool, PharmacyStore pharmacies, StatusHistory history, RecordHistory records, Clock clock) {
        this.pool = pool;
        this.pharmacies = pharmacies;
        this.history = history;
        this.records = records;
        this.clock = clock;
    }

    public Uni<DisputeView> record(String code, DisputeRequest body, String actor) {
        List<FieldError> errors = new ArrayList<>();
        if (body == null || body.kind() == null || !KINDS.contains(body.kind())) {
            errors.add(new FieldError("kind", "must be one of " + KINDS));
        }
        boolean hasHistory = body != null && body.historyId() != null;
        boolean hasRecord = body != null && body.recordId() != null;
        if (hasHistory == hasRecord) {
            errors.add(new FieldError("historyId", "exactly one of historyId (a status change) or recordId (another recorded decision) names the disputed decision"));
        }
        if (body == null || body.text() == null || body.text().isBlank()) {
            errors.add(new FieldError("text", "is required"));
        } else if (body.text().length() > MAX_TEXT) {
            errors.add(new FieldError("text", "must be at most " + MAX_TEXT + " characters"));
        }
        if (!errors.isEmpty()) {
            throw ProblemException.badRequest("the dispute has " + errors.size() + " invalid field(s)", errors);
        }
        OffsetDateTime now = BeijingTime.now(clock);
        return pool.withTransaction(tx -> pharmacies.find(tx, code).flatMap(state -> {
            if (state == null) {
                throw ProblemException.notFound("no pharmacy " + code);
            }
            Uni<Boolean> exists = hasHistory ? history.belongsTo(tx, body.historyId(), code) : records.belongsTo(tx, body.recordId(), code);
            return exists.flatMap(ok -> {
                if (!ok) {
                    String field = hasHistory ? "historyId" : "recordId";
                    throw ProblemException.badRequest("the disputed decision is not in this pharmacy's history",
                            List.of(new FieldError(field, (hasHistory ? body.historyId() : body.recordId()) + " is not a history entry of " + code)));
                }
                return tx.preparedQuery("""
                                INSERT INTO dispute (pharmacy_code, kind, history_id, record_id, text, filed_by, filed_at)
                                VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING *""")
                        .execute(Tuple.from(Arrays.asList(code, body.kind(), body.historyId(), body.recordId(), body.text().strip(), actor, now)))
                        .map(rs -> all(rs).get(0))
                        .call(d -> records.append(tx, RecordEntry.of(code, SUBJECT, d.id(), "RECORDED", null, null,
                                body.kind() + " against " + (hasHistory ? "history entry " + body.historyId() : "record " + body.recordId())
                                        + " (the decision stands): " + body.text().strip(), "AGR-13",
                                new Cause(actor, Source.STAFF, "AGR-13 dispute"), now)));
            });
        }));
    }

    public Uni<List<DisputeView>> ofPharmacy(SqlClient db, String code) {
        return db.preparedQuery("SELECT * FROM dispute WHERE pharmacy_code = $1 ORDER BY id").execute(Tuple.of(code)).map(DisputeService::all);
    }

    private static List<DisputeView> all(RowSet<Row> rs) {
        List<DisputeView> out = new ArrayList<>();
        rs.forEach(r -> out.add(new DisputeView(r.getLong("id"), r.getString("pharmacy_code"), r.getString("kind"), r.getLong("history_id"),
                r.getLong("record_id"), r.getString("text"), r.getString("filed_by"), BeijingTime.inBeijing(r.getOffsetDateTime("filed_at")))));
        return out;
    }
}
