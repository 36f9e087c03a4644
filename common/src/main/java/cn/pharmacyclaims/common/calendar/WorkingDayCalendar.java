package cn.pharmacyclaims.common.calendar;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.NavigableMap;
import java.util.NavigableSet;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The statutory working-day calendar (SET-04; also the AGR-02 and AGR-06 deadlines): Monday–Friday,
 * minus statutory holidays, plus make-up working days (调休), year by year as the State Council
 * publishes them.
 *
 * <p>A year without a published calendar is answered on weekdays alone, and every count that
 * touches such a year is marked provisional ({@link Deadline#provisional()},
 * {@link WorkingDayCount#provisional()}), so the caller can recompute it once the year is loaded
 * with {@link #withYear}.
 *
 * <p>Immutable and thread-safe: {@link #withYear} returns a new calendar. Plain Java, no framework;
 * a service holds the current instance (e.g. in an {@code AtomicReference}) and swaps it when
 * staff load a year.
 */
public final class WorkingDayCalendar {

    /** Classpath location of the bundled calendar (2019–2026 from the State Council notices). */
    public static final String STATUTORY_RESOURCE = "/calendar/cn-statutory-calendar.txt";

    /**
     * Upper bound for {@link #addWorkingDays}: deadlines are counted in days or weeks; anything near
     * this (about 380 years) is a bug in the caller, and refusing it beats looping for minutes.
     */
    public static final int MAX_WORKING_DAYS = 100_000;

    private final NavigableMap<Integer, YearCalendar> years;
    /** Holidays that fall Monday–Friday, i.e. those that remove a working day; of all published years. */
    private final NavigableSet<LocalDate> weekdayHolidays;
    /** Make-up working days (always Saturday or Sunday) of all published years. */
    private final NavigableSet<LocalDate> makeUpDays;

    private WorkingDayCalendar(NavigableMap<Integer, YearCalendar> years) {
        this.years = Collections.unmodifiableNavigableMap(years);
        TreeSet<LocalDate> holidays = new TreeSet<>();
        TreeSet<LocalDate> makeUp = new TreeSet<>();
        for (YearCalendar year : years.values()) {
            year.offDays().stream().filter(d -> !YearCalendar.isWeekend(d)).forEach(holidays::add);
            makeUp.addAll(year.makeUpWorkDays());
        }
        this.weekdayHolidays = Collections.unmodifiableNavigableSet(holidays);
        this.makeUpDays = Collections.unmodifiableNavigableSet(makeUp);
    }

    /** The bundled statutory calendar, parsed once on first use. */
    public static WorkingDayCalendar statutory() {
        return Statutory.INSTANCE;
    }

    /** A calendar with no published year: every answer is weekday-only and provisional. */
    public static WorkingDayCalendar weekdaysOnly() {
        return new WorkingDayCalendar(new TreeMap<>());
    }

    /**
     * A calendar of the given years.
     *
     * @throws IllegalArgumentException if a year appears twice
     */
    public static WorkingDayCalendar of(Collection<YearCalendar> years) {
        WorkingDayCalendar calendar = weekdaysOnly();
        for (YearCalendar year : years) {
            calendar = calendar.withYear(year);
        }
        return calendar;
    }

    /**
     * A calendar from text in the bundled format (one or more year blocks).
     *
     * @throws CalendarValidationException listing every bad line and date
     */
    public static WorkingDayCalendar parse(String text) {
        return of(CalendarText.parse(text));
    }

    /**
     * A new calendar with {@code year} published in addition to this calendar's years. A year is
     * loaded at most once: correcting a published year is not a silent overwrite.
     *
     * @throws IllegalArgumentException if that year is already published here
     */
    public WorkingDayCalendar withYear(YearCalendar year) {
        if (year == null) {
            throw new IllegalArgumentException("year calendar is missing");
        }
        if (years.containsKey(year.year())) {
            throw new IllegalArgumentException("year " + year.year() + " is already published ("
                    + years.get(year.year()).source() + "); a year is loaded at most once");
        }
        TreeMap<Integer, YearCalendar> next = new TreeMap<>(years);
        next.put(year.year(), year);
        return new WorkingDayCalendar(next);
    }

    public boolean isPublished(int year) {
        return years.containsKey(year);
    }

    /** The published years, ascending. */
    public Set<Integer> publishedYears() {
        return years.navigableKeySet();
    }

    public Optional<YearCalendar> year(int year) {
        return Optional.ofNullable(years.get(year));
    }

    /**
     * Whether {@code day} is a working day: a make-up working day, or Monday–Friday and not a
     * statutory holiday. For a year that is not published this is the weekday-only answer; check
     * {@link #isPublished(int)} to know whether it is final.
     */
    public boolean isWorkingDay(LocalDate day) {
        if (makeUpDays.contains(day)) {
            return true;
        }
        return !YearCalendar.isWeekend(day) && !weekdayHolidays.contains(day);
    }

    /**
     * The {@code n}-th working day after {@code start} (SET-04: the declaration day is day 0 and
     * does not count, even when it is a working day). {@code n == 0} returns {@code start} itself.
     * Provisional when a day in {@code (start, result]} lies in a year that is not published.
     *
     * @throws IllegalArgumentException if {@code n} is negative or above {@link #MAX_WORKING_DAYS}
     */
    public Deadline addWorkingDays(LocalDate start, int n) {
        if (start == null) {
            throw new IllegalArgumentException("start date is missing");
        }
        if (n < 0 || n > MAX_WORKING_DAYS) {
            throw new IllegalArgumentException("working days must be between 0 and " + MAX_WORKING_DAYS + ", got " + n);
        }
        LocalDate day = start;
        for (int counted = 0; counted < n; ) {
            day = day.plusDays(1);
            if (isWorkingDay(day)) {
                counted++;
            }
        }
        return new Deadline(day, touchesUnpublished(start, day));
    }

    /**
     * Working days in the half-open interval {@code (a, b]}: {@code a} itself does not count,
     * {@code b} does. Negative when {@code b} is before {@code a} (then it is
     * {@code -workingDaysBetween(b, a)}), so "working days left until the due date" is
     * {@code workingDaysBetween(today, due)} and an overdue item gives a negative number.
     * Inverse of {@link #addWorkingDays}: {@code workingDaysBetween(a, addWorkingDays(a, n).date()) == n}.
     * Use {@link #countWorkingDays} to also learn whether the count is provisional.
     */
    public int workingDaysBetween(LocalDate a, LocalDate b) {
        return countWorkingDays(a, b).days();
    }

    /**
     * {@link #workingDaysBetween} together with whether the count is provisional (the interval
     * touches a year that is not published).
     *
     * @throws ArithmeticException if the count does not fit an {@code int} (dates millions of years apart)
     */
    public WorkingDayCount countWorkingDays(LocalDate a, LocalDate b) {
        if (a == null || b == null) {
            throw new IllegalArgumentException("both dates are required");
        }
        if (b.isBefore(a)) {
            WorkingDayCount forward = countWorkingDays(b, a);
            return new WorkingDayCount(-forward.days(), forward.provisional());
        }
        // Monday–Friday by arithmetic, then the published exceptions inside (a, b]:
        // weekday holidays remove a day, make-up days (all on weekends) add one.
        long days = weekdaysUpTo(b) - weekdaysUpTo(a)
                - weekdayHolidays.subSet(a, false, b, true).size()
                + makeUpDays.subSet(a, false, b, true).size();
        return new WorkingDayCount(Math.toIntExact(days), touchesUnpublished(a, b));
    }

    /** Whether some day of {@code (startExclusive, endInclusive]} lies in a year that is not published. */
    private boolean touchesUnpublished(LocalDate startExclusive, LocalDate endInclusive) {
        if (!endInclusive.isAfter(startExclusive)) {
            return false;
        }
        int first = startExclusive.plusDays(1).getYear();
        int last = endInclusive.getYear();
        long publishedInRange = years.subMap(first, true, last, true).size();
        return publishedInRange < (long) last - first + 1;
    }

    /**
     * A running count of Monday–Friday days up to and including {@code day}, from an arbitrary
     * origin; only differences are meaningful. With e = days since a Monday, a full week adds 5 and
     * the partial week adds min(e mod 7 + 1, 5).
     */
    private static long weekdaysUpTo(LocalDate day) {
        long e = day.toEpochDay() + 3; // 1970-01-01 was a Thursday: +3 puts Mondays at multiples of 7
        return Math.floorDiv(e, 7) * 5 + Math.min(Math.floorMod(e, 7) + 1, 5);
    }

    @Override
    public String toString() {
        return "WorkingDayCalendar[published=" + years.keySet() + "]";
    }

    /** Lazy holder: the resource is read once, on the first call to {@link #statutory()}. */
    private static final class Statutory {
        static final WorkingDayCalendar INSTANCE = load();

        private static WorkingDayCalendar load() {
            try (InputStream in = WorkingDayCalendar.class.getResourceAsStream(STATUTORY_RESOURCE)) {
                if (in == null) {
                    throw new IllegalStateException("bundled calendar " + STATUTORY_RESOURCE + " is missing from the classpath");
                }
                List<YearCalendar> years = CalendarText.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
                return of(years);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read bundled calendar " + STATUTORY_RESOURCE, e);
            } catch (CalendarValidationException e) {
                throw new IllegalStateException("bundled calendar " + STATUTORY_RESOURCE + " is invalid: " + e.getMessage(), e);
            }
        }
    }
}
