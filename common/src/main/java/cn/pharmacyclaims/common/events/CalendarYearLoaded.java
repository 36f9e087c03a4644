package cn.pharmacyclaims.common.events;

import java.time.OffsetDateTime;

/**
 * SET-04 / AGR-02: a statutory calendar year loaded by agency staff, on the compacted
 * {@code agreement.calendar-years} topic (key: the year). {@code calendarText} is the year in the
 * format of {@code YearCalendar.parse}; every service applies it with {@code WorkingDayCalendar.withYear}
 * and recomputes its provisional deadlines.
 */
public record CalendarYearLoaded(int year, String calendarText, String loadedBy, OffsetDateTime loadedAt) {
}
