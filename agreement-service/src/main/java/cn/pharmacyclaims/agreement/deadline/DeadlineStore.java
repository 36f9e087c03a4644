package cn.pharmacyclaims.agreement.deadline;

import cn.pharmacyclaims.agreement.BeijingTime;
import cn.pharmacyclaims.agreement.history.Cause;
import cn.pharmacyclaims.agreement.history.RecordEntry;
import cn.pharmacyclaims.agreement.history.RecordHistory;
import cn.pharmacyclaims.agreement.lifecycle.AgreementConfig;
import cn.pharmacyclaims.common.calendar.WorkingDayCalendar;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * SQL for deadlines. Every change is recorded in the record history (SEC-04) in the same transaction.
 * Lock order: an owner (application, key change, sanction) is locked before its deadlines; the
 * scheduler claims deadlines with SKIP LOCKED and never locks an owner, so the two never deadlock.
 */
@ApplicationScoped
public class DeadlineStore {
    public static final String SUBJECT = "DEADLINE";

    /** A deadline to create. */
    public record NewDeadline(String pharmacyCode, String subjectType, String subjectId, DeadlineKind kind, int round,
                              LocalDate start) {
    }

    /** What a calendar load changed in one deadline. */
    public record Recomputed(long deadlineId, String pharmacyCode, String subjectType, String subjectId, DeadlineKind kind,
                             LocalDate dueBefore, boolean provisionalBefore, LocalDate dueAfter, boolean provisionalAfter,
                             DeadlineStatus status) {
    }

    private final RecordHistory records;
    private final DeadlineRules.Settings settings;

    public DeadlineStore(RecordHistory records, AgreementConfig config) {
        this.records = records;
        this.settings = config.deadlineSettings();
    }

    public DeadlineRules.Settings settings() {
        return settings;
    }

    public Uni<TrackedDeadline> create(SqlClient tx, WorkingDayCalendar calendar, NewDeadline d, Cause cause, OffsetDateTime now) {
        int amount = settings.amount(d.kind());
        DeadlineRules.Computed c = DeadlineRules.compute(calendar, d.kind().basis(), d.start(), amount, 0,
                settings.reminderWorkingDays());
        return tx.preparedQuery("""
                        INSERT INTO deadline (pharmacy_code, subject_type, subject_id, kind, round, rule_id, basis, start_date, amount,
                               due_date, provisional, remind_on, status, created_at, updated_at)
                        VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, 'OPEN', $13, $13) RETURNING *""")
                .execute(Tuple.from(Arrays.asList(d.pharmacyCode(), d.subjectType(), d.subjectId(), d.kind().name(), d.round(),
                        d.kind().ruleId(), d.kind().basis().name(), d.start(), amount, c.due(), c.provisional(), c.remindOn(), now)))
                .map(DeadlineStore::first)
                .call(t -> records.append(tx, record(t, "CREATED", null, DeadlineStatus.OPEN, t.describe(), cause, now)));
    }

    public Uni<List<TrackedDeadline>> ofSubject(SqlClient db, String subjectType, String subjectId) {
        return db.preparedQuery("SELECT * FROM deadline WHERE subject_type = $1 AND subject_id = $2 ORDER BY id")
                .execute(Tuple.of(subjectType, subjectId)).map(DeadlineStore::all);
    }

    public Uni<List<TrackedDeadline>> ofPharmacy(SqlClient db, String pharmacyCode) {
        return db.preparedQuery("SELECT * FROM deadline WHERE pharmacy_code = $1 ORDER BY id")
                .execute(Tuple.of(pharmacyCode)).map(DeadlineStore::all);
    }

    /** Closes the subject's open deadlines of these kinds as met on {@code on}; a late one says so. */
    public Uni<List<TrackedDeadline>> meet(SqlClient tx, String subjectType, String subjectId, List<DeadlineKind> kinds, LocalDate on,
                                           Cause cause, OffsetDateTime now) {
        return close(tx, subjectType, subjectId, kinds, DeadlineStatus.MET, on, cause, now);
    }

    /** Closes every open deadline of the subject (withdrawn, declined). */
    public Uni<List<TrackedDeadline>> cancel(SqlClient tx, String subjectType, String subjectId, Cause cause, OffsetDateTime now) {
        return close(tx, subjectType, subjectId, Arrays.asList(DeadlineKind.values()), DeadlineStatus.CANCELLED, null, cause, now);
    }

    private Uni<List<TrackedDeadline>> close(SqlClient tx, String subjectType, String subjectId, List<DeadlineKind> kinds,
                                             DeadlineStatus to, LocalDate on, Cause cause, OffsetDateTime now) {
        String[] names = kinds.stream().map(Enum::name).toArray(String[]::new);
        // the WHERE is re-checked on the latest row version, so a concurrent OVERDUE flag is not lost
        return tx.preparedQuery("""
                        UPDATE deadline d SET status = $4, met_on = $5, updated_at = $6
                        FROM deadline old WHERE old.id = d.id AND d.subject_type = $1 AND d.subject_id = $2 AND d.kind = ANY($3)
                          AND d.status IN ('OPEN', 'PAUSED', 'OVERDUE')
                        RETURNING d.*, old.status AS old_status""")
                .execute(Tuple.from(Arrays.asList(subjectType, subjectId, names, to.name(), on, now)))
                .flatMap(rs -> {
                    List<TrackedDeadline> closed = all(rs);
                    List<RecordEntry> entries = new ArrayList<>();
                    int i = 0;
                    for (Row r : rs) {
                        TrackedDeadline t = closed.get(i++);
                        String detail = to == DeadlineStatus.MET
                                ? t.ruleId() + " " + t.kind().label() + " met on " + on + (t.isLate() ? ", " + ChronoUnit.DAYS.between(t.dueDate(), on)
                                + " days after the due date " + t.dueDate() : " (due " + t.dueDate() + ")")
                                : t.ruleId() + " " + t.kind().label() + " no longer due: " + cause.reason();
                        entries.add(record(t, to.name(), DeadlineStatus.valueOf(r.getString("old_status")), to, detail, cause, now));
                    }
                    return records.append(tx, entries).replaceWith(closed);
                });
    }

    /** AGR-03: supplement time does not count; the evaluation clock stops on the notice date. */
    public Uni<Void> pause(SqlClient tx, String subjectType, String subjectId, DeadlineKind kind, LocalDate on, Cause cause,
                           OffsetDateTime now) {
        return tx.preparedQuery("""
                        UPDATE deadline SET status = 'PAUSED', paused_on = $4, updated_at = $5
                        WHERE subject_type = $1 AND subject_id = $2 AND kind = $3 AND status IN ('OPEN', 'OVERDUE') RETURNING *""")
                .execute(Tuple.of(subjectType, subjectId, kind.name(), on, now))
                .flatMap(rs -> records.append(tx, all(rs).stream().map(t -> record(t, "PAUSED", DeadlineStatus.OPEN, DeadlineStatus.PAUSED,
                        t.ruleId() + " " + t.kind().label() + " clock stopped on " + on + " while materials are supplemented", cause, now))
                        .toList()));
    }

    /** AGR-03: the clock runs again; the due date moves later by the days spent supplementing. */
    public Uni<Void> resume(SqlClient tx, WorkingDayCalendar calendar, String subjectType, String subjectId, DeadlineKind kind,
                            LocalDate on, Cause cause, OffsetDateTime now) {
        return tx.preparedQuery("SELECT * FROM deadline WHERE subject_type = $1 AND subject_id = $2 AND kind = $3 AND status = 'PAUSED' FOR UPDATE")
                .execute(Tuple.of(subjectType, subjectId, kind.name()))
                .flatMap(rs -> {
                    List<TrackedDeadline> paused = all(rs);
                    if (paused.isEmpty()) {
                        return Uni.createFrom().voidItem();
                    }
                    TrackedDeadline t = paused.get(0);
                    int days = (int) Math.max(0, ChronoUnit.DAYS.between(t.pausedOn(), on));
                    int shift = t.shiftDays() + days;
                    DeadlineRules.Computed c = DeadlineRules.compute(calendar, t.basis(), t.startDate(), t.amount(), shift,
                            settings.reminderWorkingDays());
                    return tx.preparedQuery("""
                                    UPDATE deadline SET status = 'OPEN', shift_days = $2, due_date = $3, provisional = $4, remind_on = $5,
                                           paused_on = NULL, updated_at = $6 WHERE id = $1 RETURNING *""")
                            .execute(Tuple.from(Arrays.asList(t.id(), shift, c.due(), c.provisional(), c.remindOn(), now)))
                            .map(DeadlineStore::first)
                            .flatMap(after -> records.append(tx, record(after, "RESUMED", DeadlineStatus.PAUSED, DeadlineStatus.OPEN,
                                    t.ruleId() + " " + t.kind().label() + " clock runs again on " + on + " after " + days
                                            + " days of supplement time: due " + t.dueDate() + " -> " + after.dueDate(), cause, now)));
                });
    }

    /** Flags open deadlines whose due date has passed; SKIP LOCKED: each is flagged by exactly one instance. */
    public Uni<List<TrackedDeadline>> claimOverdue(SqlClient tx, LocalDate today, int limit, OffsetDateTime now) {
        return tx.preparedQuery("""
                        UPDATE deadline SET status = 'OVERDUE', overdue_at = $2, updated_at = $2
                        WHERE id IN (SELECT id FROM deadline WHERE status = 'OPEN' AND due_date < $1 ORDER BY id LIMIT $3
                                     FOR UPDATE SKIP LOCKED)
                        RETURNING *""")
                .execute(Tuple.of(today, now, limit)).map(DeadlineStore::all);
    }

    /** Marks reminders due (reminder day reached, due date not passed yet), once per deadline. */
    public Uni<List<TrackedDeadline>> claimReminders(SqlClient tx, LocalDate today, int limit, OffsetDateTime now) {
        return tx.preparedQuery("""
                        UPDATE deadline SET reminded_at = $2, updated_at = $2
                        WHERE id IN (SELECT id FROM deadline WHERE status = 'OPEN' AND reminded_at IS NULL AND remind_on <= $1
                                       AND due_date >= $1 ORDER BY id LIMIT $3 FOR UPDATE SKIP LOCKED)
                        RETURNING *""")
                .execute(Tuple.of(today, now, limit)).map(DeadlineStore::all);
    }

    /**
     * SET-04: recomputes every provisional deadline with a calendar that now has one more year, in the
     * caller's transaction (the calendar load), and records each change. An OVERDUE deadline whose new
     * due date is not past any more is open again.
     */
    public Uni<List<Recomputed>> recomputeProvisional(SqlClient tx, WorkingDayCalendar calendar, LocalDate today, Cause cause,
                                                      OffsetDateTime now) {
        return tx.query("SELECT * FROM deadline WHERE provisional ORDER BY id FOR UPDATE").execute().flatMap(rs -> {
            List<Recomputed> changes = new ArrayList<>();
            List<Tuple> updates = new ArrayList<>();
            List<RecordEntry> entries = new ArrayList<>();
            for (TrackedDeadline t : all(rs)) {
                DeadlineRules.Computed c = DeadlineRules.compute(calendar, t.basis(), t.startDate(), t.amount(), t.shiftDays(),
                        settings.reminderWorkingDays());
                if (c.due().equals(t.dueDate()) && c.provisional() == t.provisional() && c.remindOn().equals(t.remindOn())) {
                    continue;
                }
                DeadlineStatus status = t.status() == DeadlineStatus.OVERDUE && !c.due().isBefore(today) ? DeadlineStatus.OPEN : t.status();
                updates.add(Tuple.from(Arrays.asList(t.id(), c.due(), c.provisional(), c.remindOn(), status.name(), now)));
                changes.add(new Recomputed(t.id(), t.pharmacyCode(), t.subjectType(), t.subjectId(), t.kind(), t.dueDate(),
                        t.provisional(), c.due(), c.provisional(), status));
                entries.add(record(t, "RECOMPUTED", t.status(), status, t.ruleId() + " " + t.kind().label() + " due " + t.dueDate()
                        + (t.provisional() ? " (provisional)" : "") + " -> " + c.due() + (c.provisional() ? " (provisional)" : " (final)")
                        + ": " + cause.reason(), cause, now));
            }
            if (updates.isEmpty()) {
                return Uni.createFrom().item(changes);
            }
            return tx.preparedQuery("""
                            UPDATE deadline SET due_date = $2, provisional = $3, remind_on = $4, status = $5,
                                   overdue_at = CASE WHEN $5 = 'OPEN' THEN NULL ELSE overdue_at END, updated_at = $6
                            WHERE id = $1""")
                    .executeBatch(updates)
                    .flatMap(x -> records.append(tx, entries))
                    .replaceWith(changes);
        });
    }

    public static RecordEntry record(TrackedDeadline t, String action, DeadlineStatus from, DeadlineStatus to, String detail,
                                     Cause cause, OffsetDateTime now) {
        return RecordEntry.of(t.pharmacyCode(), SUBJECT, t.id(), action, from == null ? null : from.name(), to == null ? null : to.name(),
                detail + " [" + t.subjectType().toLowerCase() + " " + t.subjectId() + "]", t.ruleId(), cause, now);
    }

    static TrackedDeadline first(RowSet<Row> rs) {
        var it = rs.iterator();
        return it.hasNext() ? map(it.next()) : null;
    }

    static List<TrackedDeadline> all(RowSet<Row> rs) {
        List<TrackedDeadline> out = new ArrayList<>(rs.size());
        rs.forEach(r -> out.add(map(r)));
        return out;
    }

    static TrackedDeadline map(Row r) {
        return new TrackedDeadline(r.getLong("id"), r.getString("pharmacy_code"), r.getString("subject_type"),
                r.getString("subject_id"), DeadlineKind.valueOf(r.getString("kind")), r.getInteger("round"), r.getString("rule_id"),
                Basis.valueOf(r.getString("basis")), r.getLocalDate("start_date"), r.getInteger("amount"), r.getInteger("shift_days"),
                r.getLocalDate("due_date"), r.getBoolean("provisional"), r.getLocalDate("remind_on"),
                BeijingTime.inBeijing(r.getOffsetDateTime("reminded_at")), DeadlineStatus.valueOf(r.getString("status")),
                r.getLocalDate("paused_on"), r.getLocalDate("met_on"), BeijingTime.inBeijing(r.getOffsetDateTime("overdue_at")));
    }
}
