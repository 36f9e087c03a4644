package cn.pharmacyclaims.agreement.calendar;

import cn.pharmacyclaims.agreement.BeijingTime;
import cn.pharmacyclaims.agreement.deadline.DeadlineStore;
import cn.pharmacyclaims.agreement.history.Cause;
import cn.pharmacyclaims.agreement.history.Source;
import cn.pharmacyclaims.common.calendar.Deadline;
import cn.pharmacyclaims.common.calendar.WorkingDayCalendar;
import cn.pharmacyclaims.common.calendar.YearCalendar;
import cn.pharmacyclaims.common.events.CalendarYearLoaded;
import cn.pharmacyclaims.common.json.Json;
import cn.pharmacyclaims.common.kafka.Topics;
import cn.pharmacyclaims.platform.outbox.Outbox;
import cn.pharmacyclaims.platform.outbox.OutboxMessage;
import cn.pharmacyclaims.platform.outbox.OutboxRelay;
import cn.pharmacyclaims.platform.web.ProblemException;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import io.vertx.pgclient.PgException;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * SET-04 / AGR-02: agency staff load a new year's statutory calendar. In one transaction: the year is
 * stored (at most once), every provisional deadline is recomputed with it and each change recorded,
 * and a {@link CalendarYearLoaded} goes to the outbox for the other services (compacted topic
 * {@code agreement.calendar-years}, key the year). After the commit the calendar is swapped.
 */
@ApplicationScoped
public class CalendarService {
    private static final Logger LOG = Logger.getLogger(CalendarService.class);

    public enum Origin { BUNDLED, LOADED }

    public record YearView(int year, Origin origin, String source, List<LocalDate> offDays, List<LocalDate> makeUpWorkDays,
                           String loadedBy, OffsetDateTime loadedAt) {
    }

    public record LoadResult(YearView year, List<DeadlineStore.Recomputed> recomputed) {
    }

    public record WorkingDaysAnswer(LocalDate from, int workingDays, LocalDate date, boolean provisional) {
    }

    private final Pool pool;
    private final Calendars calendars;
    private final DeadlineStore deadlines;
    private final Outbox outbox;
    private final OutboxRelay relay;
    private final Clock clock;

    public CalendarService(Pool pool, Calendars calendars, DeadlineStore deadlines, Outbox outbox, OutboxRelay relay, Clock clock) {
        this.pool = pool;
        this.calendars = calendars;
        this.deadlines = deadlines;
        this.outbox = outbox;
        this.relay = relay;
        this.clock = clock;
    }

    public Uni<LoadResult> load(YearCalendar year, String actor) {
        OffsetDateTime now = BeijingTime.now(clock);
        Cause cause = new Cause(actor, Source.STAFF, "SET-04: statutory calendar " + year.year() + " loaded (" + year.source() + ")");
        return pool.withTransaction(tx -> calendars.lockForLoad(tx)
                        .flatMap(x -> calendars.refresh(tx))
                        .flatMap(calendar -> {
                            if (calendar.isPublished(year.year())) {
                                throw alreadyLoaded(year.year(), calendar);
                            }
                            WorkingDayCalendar next = calendar.withYear(year);
                            String text = year.toText();
                            return tx.preparedQuery("""
                                            INSERT INTO calendar_year (year, calendar_text, source, loaded_by, loaded_at)
                                            VALUES ($1, $2, $3, $4, $5)""")
                                    .execute(Tuple.of(year.year(), text, year.source(), actor, now))
                                    .flatMap(x -> deadlines.recomputeProvisional(tx, next, now.toLocalDate(), cause, now))
                                    .call(x -> outbox.add(tx, message(new CalendarYearLoaded(year.year(), text, actor, now))))
                                    .map(changes -> new LoadResult(view(year, Origin.LOADED, actor, now), changes));
                        }))
                .onFailure(PgException.class).transform(e -> "23505".equals(((PgException) e).getSqlState())
                        ? alreadyLoaded(year.year(), calendars.current()) : e)
                .invoke(result -> {
                    calendars.install(year);
                    relay.nudge();
                    LOG.infof("calendar year %d loaded by %s; %d provisional deadline(s) recomputed", year.year(), actor,
                            result.recomputed().size());
                });
    }

    public Uni<List<YearView>> years() {
        return pool.withConnection(db -> calendars.refresh(db)
                .flatMap(calendar -> db.query("SELECT year, loaded_by, loaded_at FROM calendar_year").execute().map(rs -> {
                    Map<Integer, Row> loaded = new HashMap<>();
                    rs.forEach(r -> loaded.put(r.getInteger("year"), r));
                    List<YearView> out = new ArrayList<>();
                    for (int y : calendar.publishedYears()) {
                        YearCalendar yc = calendar.year(y).orElseThrow();
                        Row r = loaded.get(y);
                        out.add(r == null ? view(yc, Origin.BUNDLED, null, null)
                                : view(yc, Origin.LOADED, r.getString("loaded_by"), BeijingTime.inBeijing(r.getOffsetDateTime("loaded_at"))));
                    }
                    return out;
                })));
    }

    public Uni<YearView> year(int year) {
        return years().map(all -> all.stream().filter(v -> v.year() == year).findFirst()
                .orElseThrow(() -> ProblemException.notFound("the statutory calendar of " + year + " is not published; "
                        + "deadlines running into it are provisional (SET-04)")));
    }

    /** SET-04: the n-th working day after {@code from} (day 0), with whether it is provisional. */
    public Uni<WorkingDaysAnswer> workingDays(LocalDate from, int n) {
        return pool.withConnection(calendars::refresh).map(calendar -> {
            Deadline d = calendar.addWorkingDays(from, n);
            return new WorkingDaysAnswer(from, n, d.date(), d.provisional());
        });
    }

    private static YearView view(YearCalendar y, Origin origin, String by, OffsetDateTime at) {
        return new YearView(y.year(), origin, y.source(), List.copyOf(y.offDays()), List.copyOf(y.makeUpWorkDays()), by, at);
    }

    private static ProblemException alreadyLoaded(int year, WorkingDayCalendar calendar) {
        String source = calendar.year(year).map(YearCalendar::source).orElse("loaded by another request");
        return ProblemException.conflict("the statutory calendar of " + year + " is already published (" + source
                + "); a year is loaded at most once", "CALENDAR_YEAR_EXISTS");
    }

    static OutboxMessage message(CalendarYearLoaded e) {
        return new OutboxMessage("calendar-year:" + e.year(), Topics.CALENDAR_YEARS, Integer.toString(e.year()), Json.write(e));
    }
}
