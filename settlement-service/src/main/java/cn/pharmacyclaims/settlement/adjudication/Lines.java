package cn.pharmacyclaims.settlement.adjudication;

import cn.pharmacyclaims.common.events.SettlementRequest;

import java.util.List;

/** Small helpers over the request's lines. */
final class Lines {
    private Lines() {
    }

    /**
     * The lines of the request. The gateway refuses a body without lines (HTTP 400) before it
     * reaches Kafka, so an empty list here is a programming error, not a reject.
     */
    static List<SettlementRequest.Line> of(AdjudicationInput input) {
        List<SettlementRequest.Line> lines = input.request().lines();
        if (lines == null || lines.isEmpty()) {
            throw new IllegalArgumentException("a settlement request has at least one line");
        }
        return lines;
    }

    /** The POS's line number; the position (1-based) when the POS sent none. */
    static int no(SettlementRequest.Line line, int index) {
        return line.lineNo() != null ? line.lineNo() : index + 1;
    }

    static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
