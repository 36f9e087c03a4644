package cn.pharmacyclaims.agreement.sanction;

import cn.pharmacyclaims.agreement.lifecycle.TerminationGround;
import cn.pharmacyclaims.common.events.ViolationAlert;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * AUD-21: the termination ground of a TERMINATION sanction, read from its reason (SanctionRequested
 * has no ground field; its optional category decides when present). A reason that starts with a ground name ("CASHING_OUT: ...") decides;
 * otherwise the named frauds of AUD-21 are recognised by their usual words (English or Chinese);
 * anything else is OTHER.
 */
public final class SanctionGrounds {
    private static final List<Map.Entry<TerminationGround, List<String>>> WORDS = List.of(
            Map.entry(TerminationGround.CASHING_OUT, List.of("cashing out", "cash out", "cash-out", "套现", "aud-05")),
            Map.entry(TerminationGround.FORGED_RECORDS, List.of("forged", "forgery", "伪造", "虚开", "aud-11")),
            Map.entry(TerminationGround.GOODS_SWAPPING, List.of("swap", "串换", "以物代药", "daily goods", "non_medical", "aud-01", "aud-10")),
            Map.entry(TerminationGround.SETTLING_FOR_OTHERS, List.of("settling for others", "for others", "为非定点", "aud-08")),
            Map.entry(TerminationGround.DEVICE_MISUSE, List.of("device", "转借", "aud-12")));

    private SanctionGrounds() {
    }

    /** The ground of the case's confirmed behaviour when the event names it; otherwise read from the reason. */
    public static TerminationGround of(ViolationAlert.BehaviourType category, String reason) {
        if (category != null) {
            switch (category) {
                case CASH_OUT:
                    return TerminationGround.CASHING_OUT;
                case PRESCRIPTION_FRAUD:
                    return TerminationGround.FORGED_RECORDS;
                case NON_MEDICAL_GOODS:
                case STOCK_MISMATCH:
                    return TerminationGround.GOODS_SWAPPING;
                case SETTLING_FOR_OTHERS:
                    return TerminationGround.SETTLING_FOR_OTHERS;
                case DEVICE_MISUSE:
                    return TerminationGround.DEVICE_MISUSE;
                default:
                    break;
            }
        }
        return of(reason);
    }

    public static TerminationGround of(String reason) {
        if (reason == null || reason.isBlank()) {
            return TerminationGround.OTHER;
        }
        String r = reason.strip();
        for (TerminationGround g : TerminationGround.values()) {
            if (g.staffMayClaim() && r.toUpperCase(Locale.ROOT).startsWith(g.name())) {
                return g;
            }
        }
        String lower = r.toLowerCase(Locale.ROOT);
        for (Map.Entry<TerminationGround, List<String>> e : WORDS) {
            for (String w : e.getValue()) {
                if (lower.contains(w)) {
                    return e.getKey();
                }
            }
        }
        return TerminationGround.OTHER;
    }
}
