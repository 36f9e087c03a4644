package cn.pharmacyclaims.common.calendar;

/**
 * The result of {@link WorkingDayCalendar#countWorkingDays}: a number of working days and whether
 * it is provisional.
 *
 * @param days        working days in {@code (a, b]}, negative when {@code b} is before {@code a}
 * @param provisional true when the counted interval touches a year whose statutory calendar is not
 *                    published (those days were counted on Monday–Friday alone)
 */
public record WorkingDayCount(int days, boolean provisional) {
}
