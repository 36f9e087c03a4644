package cn.pharmacyclaims.common.calendar;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.NavigableSet;
import java.util.Set;
import java.util.TreeSet;

/**
 * The published statutory calendar of one year, as read from a State Council notice: the
 * exceptions to the plain Monday–Friday week (SET-04).
 *
 * <p>Validated on construction, so an instance is always usable: every date lies inside
 * {@code year}, no date is both a holiday and a make-up working day, and make-up working days
 * fall on a Saturday or Sunday (a weekday is a working day anyway; a make-up weekday is a typo).
 * Holidays on a weekend are allowed: notices list whole runs such as 02-15..02-23 that include
 * Saturdays and Sundays. Violations throw {@link CalendarValidationException} (an
 * {@link IllegalArgumentException}) naming every bad date.
 *
 * <p>Immutable: the sets are sorted, unmodifiable copies.
 *
 * @param year           the calendar year
 * @param offDays        statutory holidays (no work, even Monday–Friday)
 * @param makeUpWorkDays make-up working days, 调休 (work, even though a Saturday or Sunday)
 * @param source         the notice the year was read from (address or title), one line
 */
public record YearCalendar(int year, Set<LocalDate> offDays, Set<LocalDate> makeUpWorkDays, String source) {

    /** Years outside this range are typos, not calendars. */
    public static final int MIN_YEAR = 1900;
    public static final int MAX_YEAR = 9999;

    public YearCalendar {
        List<String> problems = new ArrayList<>();
        if (year < MIN_YEAR || year > MAX_YEAR) {
            problems.add("year " + year + " is outside " + MIN_YEAR + ".." + MAX_YEAR);
        }
        if (source == null || source.isBlank()) {
            problems.add("year " + year + ": source must name the notice the calendar was read from");
        } else if (source.contains("\n") || source.contains("\r")) {
            problems.add("year " + year + ": source must be a single line");
        } else {
            source = source.strip();
        }
        offDays = sortedCopy(offDays, "off day", year, problems);
        makeUpWorkDays = sortedCopy(makeUpWorkDays, "make-up working day", year, problems);
        for (LocalDate day : makeUpWorkDays) {
            if (offDays.contains(day)) {
                problems.add(day + " is listed both as off day and as make-up working day");
            }
            if (!isWeekend(day)) {
                problems.add("make-up working day " + day + " is a " + day.getDayOfWeek()
                        + "; make-up working days must fall on a Saturday or Sunday");
            }
        }
        if (!problems.isEmpty()) {
            throw new CalendarValidationException(problems);
        }
    }

    /** Validating factory; same rules as the constructor. */
    public static YearCalendar of(int year, Collection<LocalDate> offDays, Collection<LocalDate> makeUpWorkDays,
            String source) {
        return new YearCalendar(year, Set.copyOf(nonNull(offDays, "offDays")),
                Set.copyOf(nonNull(makeUpWorkDays, "makeUpWorkDays")), source);
    }

    /**
     * Parses exactly one year block in the format of the bundled
     * {@code calendar/cn-statutory-calendar.txt} (documented in its header), e.g. an uploaded
     * year:
     *
     * <pre>
     * year 2027
     * source https://www.gov.cn/...
     * off  2027-01-01
     * off  2027-02-06..2027-02-13   # Spring Festival
     * work 2027-02-20
     * </pre>
     *
     * @throws CalendarValidationException listing every bad line and date
     */
    public static YearCalendar parse(String text) {
        List<YearCalendar> years = CalendarText.parse(text);
        if (years.size() != 1) {
            throw new CalendarValidationException("expected exactly one 'year' block, found " + years.size());
        }
        return years.get(0);
    }

    /** This year in the text format {@link #parse} reads; {@code parse(toText())} equals this. */
    public String toText() {
        return CalendarText.format(this);
    }

    private static NavigableSet<LocalDate> sortedCopy(Set<LocalDate> days, String what, int year,
            List<String> problems) {
        TreeSet<LocalDate> copy = new TreeSet<>();
        if (days == null) {
            problems.add("year " + year + ": the " + what + "s are missing (use an empty set)");
            return Collections.unmodifiableNavigableSet(copy);
        }
        for (LocalDate day : days) {
            if (day == null) {
                problems.add("year " + year + ": one of the " + what + "s is empty");
            } else if (day.getYear() != year) {
                problems.add(what + " " + day + " is outside year " + year);
            } else {
                copy.add(day);
            }
        }
        return Collections.unmodifiableNavigableSet(copy);
    }

    private static <T> Collection<T> nonNull(Collection<T> days, String name) {
        if (days == null) {
            throw new CalendarValidationException(name + " are missing (use an empty collection)");
        }
        for (T day : days) {
            if (day == null) {
                // Set.copyOf would throw a bare NullPointerException
                throw new CalendarValidationException(name + " contain an empty date");
            }
        }
        return days;
    }

    static boolean isWeekend(LocalDate day) {
        DayOfWeek dow = day.getDayOfWeek();
        return dow == DayOfWeek.SATURDAY || dow == DayOfWeek.SUNDAY;
    }
}
