package cn.pharmacyclaims.settlement.adjudication;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;

/** Dates in the rulebook are Beijing-time calendar dates (POS-API.md), whatever offset the POS sent. */
final class Beijing {
    private Beijing() {
    }

    static final ZoneId ZONE = ZoneId.of("Asia/Shanghai");

    static LocalDate date(OffsetDateTime t) {
        return t.atZoneSameInstant(ZONE).toLocalDate();
    }
}
