package cn.pharmacyclaims.agreement.calendar;

import cn.pharmacyclaims.common.calendar.WorkingDayCalendar;
import cn.pharmacyclaims.common.calendar.YearCalendar;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The service's current statutory calendar (SET-04): the years bundled in the common module plus the
 * years staff loaded (table {@code calendar_year}). Held in an {@link AtomicReference} and swapped
 * atomically; {@link #refresh} brings it up to date with the table, so a year loaded through another
 * instance is used here too before any deadline is computed.
 */
@ApplicationScoped
public class Calendars {
    /** Advisory lock between a calendar load (exclusive) and transactions that compute deadlines (shared). */
    static final long LOCK = 0x0B0C_0CA1L;

    private final AtomicReference<WorkingDayCalendar> current = new AtomicReference<>(WorkingDayCalendar.statutory());

    public WorkingDayCalendar current() {
        return current.get();
    }

    /** Adds the stored years this instance does not know yet. */
    public Uni<WorkingDayCalendar> refresh(SqlClient db) {
        return db.query("SELECT year FROM calendar_year").execute().flatMap(rs -> {
            WorkingDayCalendar now = current.get();
            List<Integer> missing = new ArrayList<>();
            rs.forEach(r -> {
                if (!now.isPublished(r.getInteger("year"))) {
                    missing.add(r.getInteger("year"));
                }
            });
            if (missing.isEmpty()) {
                return Uni.createFrom().item(now);
            }
            return db.preparedQuery("SELECT calendar_text FROM calendar_year WHERE year = ANY($1)")
                    .execute(Tuple.of(missing.toArray(new Integer[0])))
                    .map(texts -> {
                        texts.forEach(r -> install(YearCalendar.parse(r.getString("calendar_text"))));
                        return current.get();
                    });
        });
    }

    /**
     * The calendar to compute deadlines with, inside the caller's transaction: waits for a calendar
     * load that is committing, so that a deadline is either computed with the new year or seen (and
     * recomputed) by the load, never lost between the two (SET-04).
     */
    public Uni<WorkingDayCalendar> forDeadlines(SqlClient tx) {
        return tx.preparedQuery("SELECT pg_advisory_xact_lock_shared($1)").execute(Tuple.of(LOCK)).flatMap(x -> refresh(tx));
    }

    /** Takes the exclusive lock of a calendar load, in the caller's transaction. */
    Uni<Void> lockForLoad(SqlClient tx) {
        return tx.preparedQuery("SELECT pg_advisory_xact_lock($1)").execute(Tuple.of(LOCK)).replaceWithVoid();
    }

    /** Atomic swap: the year is added unless some other path added it first. */
    void install(YearCalendar year) {
        current.updateAndGet(c -> c.isPublished(year.year()) ? c : c.withYear(year));
    }
}
