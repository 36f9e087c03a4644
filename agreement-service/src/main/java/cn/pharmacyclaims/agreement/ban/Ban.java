package cn.pharmacyclaims.agreement.ban;

import java.time.LocalDate;
import java.time.OffsetDateTime;

/**
 * An AGR-12 reapplication ban as shown: the subject with its identity number masked (AUD-23).
 *
 * @param subject      PHARMACY:&lt;code&gt; or PERSON:&lt;idType&gt;:&lt;masked number&gt;
 * @param pharmacyCode the banned pharmacy, or the pharmacy the person's ban arises from
 * @param untilDate    exclusive: the subject may apply again on this day
 */
public record Ban(long id, String subject, String subjectType, String pharmacyCode, String personRole, LocalDate fromDate,
                  LocalDate untilDate, String reason, String ruleId, String origin, String actor, OffsetDateTime createdAt) {

    public boolean activeOn(LocalDate day) {
        return !day.isBefore(fromDate) && day.isBefore(untilDate);
    }
}
