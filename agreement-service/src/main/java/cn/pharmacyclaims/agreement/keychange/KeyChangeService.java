package cn.pharmacyclaims.agreement.keychange;

import cn.pharmacyclaims.agreement.BeijingTime;
import cn.pharmacyclaims.agreement.calendar.Calendars;
import cn.pharmacyclaims.agreement.deadline.DeadlineKind;
import cn.pharmacyclaims.agreement.deadline.DeadlineStatus;
import cn.pharmacyclaims.agreement.deadline.DeadlineStore;
import cn.pharmacyclaims.agreement.history.Cause;
import cn.pharmacyclaims.agreement.history.RecordEntry;
import cn.pharmacyclaims.agreement.history.RecordHistory;
import cn.pharmacyclaims.agreement.history.Source;
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
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * AGR-06: key-information changes must be filed within 30 working days of the authority's approval.
 * An officer records a change (with its filing date if it was filed); the scheduler flags an unfiled
 * one as overdue, which records a termination ground (AGR-09) for an officer to act on: nothing here
 * terminates an agreement by itself.
 */
@ApplicationScoped
public class KeyChangeService {
    private static final Logger LOG = Logger.getLogger(KeyChangeService.class);
    public static final String SUBJECT = "KEY_CHANGE";
    static final int MAX_TEXT = 2000;

    public record KeyChangeRequest(List<String> items, String description, String approvedOn, String filedOn) {
    }

    public record FilingRequest(String filedOn, String reason) {
    }

    private final Pool pool;
    private final PharmacyStore pharmacies;
    private final Calendars calendars;
    private final DeadlineStore deadlines;
    private final RecordHistory records;
    private final Clock clock;

    public KeyChangeService(Pool pool, PharmacyStore pharmacies, Calendars calendars, DeadlineStore deadlines, RecordHistory records,
                            Clock clock) {
        this.pool = pool;
        this.pharmacies = pharmacies;
        this.calendars = calendars;
        this.deadlines = deadlines;
        this.records = records;
        this.clock = clock;
    }

    public Uni<KeyChangeView> record(String code, KeyChangeRequest body, String actor) {
        LocalDate today = BeijingTime.today(clock);
        List<FieldError> errors = new ArrayList<>();
        Set<String> items = new LinkedHashSet<>();
        if (body == null || body.items() == null || body.items().isEmpty()) {
            errors.add(new FieldError("items", "is required: one or more of " + Arrays.toString(KeyChangeItem.values())));
        } else {
            for (int i = 0; i < body.items().size(); i++) {
                String v = body.items().get(i);
                try {
                    items.add(KeyChangeItem.valueOf(v == null ? "" : v.strip()).name());
                } catch (IllegalArgumentException e) {
                    errors.add(new FieldError("items[" + i + "]", "'" + v + "' is not key information; one of "
                            + Arrays.toString(KeyChangeItem.values())));
                }
            }
        }
        String description = body == null ? null : body.description();
        if (description == null || description.isBlank()) {
            errors.add(new FieldError("description", "is required: what changed"));
        } else if (description.length() > MAX_TEXT) {
            errors.add(new FieldError("description", "must be at most " + MAX_TEXT + " characters"));
        }
        LocalDate approved = date(body == null ? null : body.approvedOn(), "approvedOn", true, today, errors);
        LocalDate filed = date(body == null ? null : body.filedOn(), "filedOn", false, today, errors);
        if (approved != null && filed != null && filed.isBefore(approved)) {
            errors.add(new FieldError("filedOn", "must not be before approvedOn " + approved));
        }
        if (!errors.isEmpty()) {
            throw ProblemException.badRequest("the key change has " + errors.size() + " invalid field(s)", errors);
        }
        OffsetDateTime now = BeijingTime.now(clock);
        Cause cause = new Cause(actor, Source.STAFF, "AGR-06: key change " + items + " approved on " + approved);
        return pool.withTransaction(tx -> pharmacies.find(tx, code).flatMap(state -> {
                    if (state == null) {
                        throw ProblemException.notFound("no pharmacy " + code);
                    }
                    return tx.query("SELECT nextval('key_change_id_seq') AS id").execute()
                            .map(rs -> rs.iterator().next().getLong("id"))
                            .flatMap(id -> calendars.forDeadlines(tx).flatMap(cal -> deadlines.create(tx, cal,
                                            new DeadlineStore.NewDeadline(code, SUBJECT, Long.toString(id), DeadlineKind.FILING, 1, approved), cause, now))
                                    .flatMap(d -> tx.preparedQuery("""
                                                    INSERT INTO key_change (id, pharmacy_code, items, description, approved_on, deadline_id, recorded_by,
                                                           created_at, updated_at)
                                                    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8)""")
                                            .execute(Tuple.from(Arrays.asList(id, code, items.toArray(new String[0]), description.strip(), approved,
                                                    d.id(), actor, now))))
                                    .flatMap(x -> records.append(tx, RecordEntry.of(code, SUBJECT, id, "RECORDED", null, "AWAITING_FILING",
                                            "key change " + items + ": " + description.strip(), "AGR-06", cause, now)))
                                    .flatMap(x -> filed == null ? Uni.createFrom().voidItem() : fileIn(tx, code, id, filed, cause, now))
                                    .flatMap(x -> find(tx, code, id)));
                }))
                .invoke(k -> LOG.infof("key change %d of %s recorded by %s, filing due %s", k.id(), code, actor, k.filingDue()));
    }

    /** The pharmacy filed the change (late or not: a late filing stays a termination ground, AGR-06). */
    public Uni<KeyChangeView> file(String code, long id, FilingRequest body, String actor) {
        LocalDate today = BeijingTime.today(clock);
        List<FieldError> errors = new ArrayList<>();
        LocalDate filed = date(body == null ? null : body.filedOn(), "filedOn", false, today, errors);
        if (!errors.isEmpty()) {
            throw ProblemException.badRequest("invalid filing", errors);
        }
        LocalDate on = filed == null ? today : filed;
        String reason = body == null || body.reason() == null || body.reason().isBlank() ? "key change filed" : body.reason().strip();
        OffsetDateTime now = BeijingTime.now(clock);
        Cause cause = new Cause(actor, Source.STAFF, reason);
        return pool.withTransaction(tx -> tx.preparedQuery("SELECT * FROM key_change WHERE id = $1 AND pharmacy_code = $2 FOR UPDATE")
                .execute(Tuple.of(id, code))
                .flatMap(rs -> {
                    if (rs.size() == 0) {
                        throw ProblemException.notFound("no key change " + id + " of pharmacy " + code);
                    }
                    Row r = rs.iterator().next();
                    if (r.getLocalDate("filed_on") != null) {
                        throw ProblemException.conflict("key change " + id + " was filed on " + r.getLocalDate("filed_on"), "ALREADY_FILED");
                    }
                    LocalDate approved = r.getLocalDate("approved_on");
                    if (on.isBefore(approved)) {
                        throw ProblemException.badRequest("dates in the wrong order",
                                List.of(new FieldError("filedOn", "must not be before the approval on " + approved)));
                    }
                    return fileIn(tx, code, id, on, cause, now).flatMap(x -> find(tx, code, id));
                }));
    }

    private Uni<Void> fileIn(SqlClient tx, String code, long id, LocalDate on, Cause cause, OffsetDateTime now) {
        return tx.preparedQuery("UPDATE key_change SET filed_on = $2, updated_at = $3 WHERE id = $1").execute(Tuple.of(id, on, now))
                .flatMap(x -> deadlines.meet(tx, SUBJECT, Long.toString(id), List.of(DeadlineKind.FILING), on, cause, now))
                .flatMap(met -> records.append(tx, RecordEntry.of(code, SUBJECT, id, "FILED", "AWAITING_FILING", "FILED",
                        "filed on " + on + (met.stream().anyMatch(d -> d.isLate()) ? ", after the due date: a termination ground (AGR-06, AGR-09)" : ""),
                        "AGR-06", cause, now)));
    }

    public Uni<List<KeyChangeView>> ofPharmacy(SqlClient db, String code) {
        return db.preparedQuery(SELECT + " WHERE k.pharmacy_code = $1 ORDER BY k.id").execute(Tuple.of(code)).map(KeyChangeService::all);
    }

    public Uni<List<KeyChangeView>> list(String code) {
        return pool.withConnection(db -> pharmacies.find(db, code).flatMap(s -> {
            if (s == null) {
                throw ProblemException.notFound("no pharmacy " + code);
            }
            return ofPharmacy(db, code);
        }));
    }

    private Uni<KeyChangeView> find(SqlClient db, String code, long id) {
        return db.preparedQuery(SELECT + " WHERE k.id = $1 AND k.pharmacy_code = $2").execute(Tuple.of(id, code))
                .map(rs -> all(rs).get(0));
    }

    private static final String SELECT = """
            SELECT k.*, d.due_date, d.provisional, d.status AS d_status, d.met_on, d.overdue_at
            FROM key_change k JOIN deadline d ON d.id = k.deadline_id""";

    private static List<KeyChangeView> all(RowSet<Row> rs) {
        List<KeyChangeView> out = new ArrayList<>();
        rs.forEach(r -> {
            LocalDate due = r.getLocalDate("due_date");
            LocalDate filed = r.getLocalDate("filed_on");
            DeadlineStatus ds = DeadlineStatus.valueOf(r.getString("d_status"));
            String status = filed != null ? "FILED" : ds == DeadlineStatus.OVERDUE ? "OVERDUE" : "AWAITING_FILING";
            out.add(new KeyChangeView(r.getLong("id"), r.getString("pharmacy_code"), Arrays.asList(r.getArrayOfStrings("items")),
                    r.getString("description"), r.getLocalDate("approved_on"), due, r.getBoolean("provisional"), filed, status,
                    filed != null && filed.isAfter(due), r.getLong("deadline_id"), ds,
                    BeijingTime.inBeijing(r.getOffsetDateTime("overdue_at")), r.getString("recorded_by"),
                    BeijingTime.inBeijing(r.getOffsetDateTime("created_at"))));
        });
        return out;
    }

    static LocalDate date(String s, String field, boolean required, LocalDate today, List<FieldError> errors) {
        if (s == null || s.isBlank()) {
            if (required) {
                errors.add(new FieldError(field, "is required (yyyy-MM-dd)"));
            }
            return null;
        }
        try {
            LocalDate d = LocalDate.parse(s.strip());
            if (d.isAfter(today)) {
                errors.add(new FieldError(field, d + " is in the future (today is " + today + ")"));
                return null;
            }
            return d;
        } catch (DateTimeParseException e) {
            errors.add(new FieldError(field, "'" + s + "' is not a date (yyyy-MM-dd)"));
            return null;
        }
    }
}
