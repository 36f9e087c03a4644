package cn.pharmacyclaims.audit.rules;

import java.math.BigDecimal;
import java.time.OffsetDateTime;

/**
 * A settlement (or rejected request) named by an alert, with the amount it contributes to the
 * alert's amount. {@link #ref()} identifies it within one alert: the setlId, or the msgId for a
 * rejected request that never got a settlement id.
 */
public record Involved(String setlId, String msgId, String pharmacyCode, OffsetDateTime occurredAt, BigDecimal amount) {

    public String ref() {
        return setlId != null ? setlId : "msg:" + msgId;
    }
}
