package cn.pharmacyclaims.deploy.bench;

import cn.pharmacyclaims.deploy.PosClient;

import java.math.BigDecimal;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One {@code POST /api/v1/settlements} the load generator sent, and what the POS was told: the
 * reconciliation compares these with the settlement database at the end.
 */
public final class Purchase {
    final String msgId;
    final Workload.Kind kind;
    final PosClient.Terminal terminal;
    final long intendedNanos;
    final boolean measured;
    /** Claimed by the one cancellation or reversal the mix aims at this purchase. */
    final AtomicBoolean undoClaimed = new AtomicBoolean();

    // the POS's view, written once by the response callback
    volatile int httpStatus;
    volatile String status; // SETTLED, REJECTED, PENDING, ERROR, TIMEOUT (null: no answer yet)
    volatile String setlId;
    volatile BigDecimal fundPay;
    volatile BigDecimal accountPay;
    volatile BigDecimal cashPay;
    volatile String rejectCodes;

    // the undo aimed at it, if any: CANCEL or REVERSAL, and the status its answer carried
    volatile String undoKind;
    volatile int undoHttpStatus;
    volatile String undoStatus;

    Purchase(String msgId, Workload.Kind kind, PosClient.Terminal terminal, long intendedNanos, boolean measured) {
        this.msgId = msgId;
        this.kind = kind;
        this.terminal = terminal;
        this.intendedNanos = intendedNanos;
        this.measured = measured;
    }

    public String msgId() {
        return msgId;
    }

    boolean settled() {
        return "SETTLED".equals(status);
    }
}
