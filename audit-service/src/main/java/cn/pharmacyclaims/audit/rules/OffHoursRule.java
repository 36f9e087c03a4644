package cn.pharmacyclaims.audit.rules;

import cn.pharmacyclaims.audit.pharmacy.BusinessHours;
import cn.pharmacyclaims.common.events.ViolationAlert.BehaviourType;
import cn.pharmacyclaims.common.events.ViolationAlert.Severity;
import cn.pharmacyclaims.common.events.ViolationAlert.Subject;

import java.time.LocalDate;
import java.time.LocalTime;
import java.util.List;

/**
 * AUD-06 hidden shop / ghost swipes (暗超市 / 空刷): a settlement outside the pharmacy's registered
 * business hours (Beijing time). The subject is the pharmacy: one alert per pharmacy and Beijing
 * day, later off-hours settlements of that day are appended to it. Silent when the hours are unknown.
 */
public final class OffHoursRule implements AuditRule {
    public static final String ID = "AUD-06";
    public static final String NAME = "settlement outside business hours";

    @Override
    public String ruleId() {
        return ID;
    }

    @Override
    public List<Finding> evaluate(Observation o) {
        if (!o.settled() || o.pharmacy() == null || o.pharmacy().businessHours() == null) {
            return List.of();
        }
        SettledFact cur = o.current();
        BusinessHours hours = o.pharmacy().businessHours();
        LocalTime time = cur.at().atZone(Beijing.ZONE).toLocalTime();
        if (hours.isOpen(time)) {
            return List.of();
        }
        LocalDate day = Beijing.date(cur.at());
        String evidence = String.format("%s settled %s at %s on %s, outside its registered hours %s",
                cur.pharmacyCode(), cur.setlId(), Beijing.hm(cur.at()), day, hours);
        return List.of(new Finding(ID, NAME, Severity.SUSPICIOUS, BehaviourType.GHOST_SWIPES,
                new Subject(cur.pharmacyCode(), null, null, null), o.regionCode(),
                ID + "|" + cur.pharmacyCode() + "|" + day, List.of(cur.involved()), evidence));
    }
}
