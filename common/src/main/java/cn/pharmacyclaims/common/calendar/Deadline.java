package cn.pharmacyclaims.common.calendar;

import java.time.LocalDate;
import java.util.Objects;

/**
 * A date computed by counting working days (SET-04, AGR-02, AGR-06).
 *
 * @param date        the computed date
 * @param provisional true when the count ran through a year whose statutory calendar is not
 *                    published: that part was counted on Monday–Friday alone, so the date must be
 *                    recomputed when the year is loaded (SET-04)
 */
public record Deadline(LocalDate date, boolean provisional) {

    public Deadline {
        Objects.requireNonNull(date, "date");
    }
}
