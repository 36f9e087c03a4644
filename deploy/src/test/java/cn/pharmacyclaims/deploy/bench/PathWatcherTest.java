package cn.pharmacyclaims.deploy.bench;

import cn.pharmacyclaims.common.kafka.Topics;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The bookkeeping of {@link PathWatcher}: which record belongs to which request, and the segments between them. */
class PathWatcherTest {

    private static String command(String commandId, String msgId) {
        return "{\"commandId\":\"" + commandId + "\",\"type\":\"SETTLE\",\"replyTo\":\"gw-1\",\"settlement\":{\"msgId\":\"" + msgId + "\"}}";
    }

    @Test
    void splitsAPurchaseAndItsAlertIntoSegments() {
        PathWatcher w = new PathWatcher();
        long intended = 1_000_000_000L;
        double t0 = w.epochMillis(intended);
        long base = (long) Math.ceil(t0);
        w.sent("M1", intended);
        // the reply read before its command (another topic, another fetch)
        w.onRecord(Topics.GATEWAY_REPLIES, "{\"commandId\":\"c-1\",\"outcome\":\"RESULT\"}", base + 17);
        w.onRecord(Topics.SETTLEMENT_REQUESTS, command("c-1", "M1"), base + 5);
        w.answered("M1", intended + Math.round((base + 25 - t0) * 1e6));
        w.onRecord(Topics.SETTLEMENT_DECISIONS, "{\"msgId\":\"M1\",\"status\":\"REJECTED\"}", base + 20);
        // a burst's alert listing M1 first (it lists the window's settlements): not the path of M1
        w.onRecord(Topics.VIOLATION_ALERTS, "{\"ruleId\":\"AUD-07\",\"settlements\":[{\"msgId\":\"M1\"}]}", base + 30);
        w.onRecord(Topics.VIOLATION_ALERTS, "{\"ruleId\":\"AUD-01\",\"settlements\":[{\"msgId\":\"M1\"}]}", base + 60);

        var s = w.segments();
        assertThat(s.get(PathWatcher.GATEWAY_IN).count()).isEqualTo(1);
        assertThat(s.get(PathWatcher.GATEWAY_IN).p50()).isBetween(5.0, 6.1);
        assertThat(s.get(PathWatcher.SETTLEMENT).p50()).isCloseTo(12.0, within(0.05));
        assertThat(s.get(PathWatcher.GATEWAY_OUT).p50()).isCloseTo(8.0, within(0.05));
        assertThat(s.get(PathWatcher.RELAY).p50()).isCloseTo(3.0, within(0.05));
        assertThat(s.get(PathWatcher.AUDIT).p50()).isCloseTo(40.0, within(0.05));
    }

    @Test
    void ignoresRequestsOutsideTheMeasuredWindowAndCountsOnlyWhatHasBothEnds() {
        PathWatcher w = new PathWatcher();
        long intended = 2_000_000_000L;
        long base = (long) Math.ceil(w.epochMillis(intended));
        w.sent("M2", intended);
        // a warm-up request's records (never announced) and a reply to an unknown command
        w.onRecord(Topics.SETTLEMENT_REQUESTS, command("c-9", "WARMUP"), base + 1);
        w.onRecord(Topics.GATEWAY_REPLIES, "{\"commandId\":\"c-9\"}", base + 2);
        w.onRecord(Topics.GATEWAY_REPLIES, "{\"commandId\":\"nobody\"}", base + 2);
        // M2 reached settlement; its reply, answer and alert never came (timed out)
        w.onRecord(Topics.SETTLEMENT_REQUESTS, command("c-2", "M2"), base + 3);
        w.onRecord(Topics.SETTLEMENT_REQUESTS, "not json", base + 3);
        w.answered("WARMUP", intended);

        var s = w.segments();
        assertThat(s.get(PathWatcher.GATEWAY_IN).count()).isEqualTo(1);
        assertThat(s.get(PathWatcher.SETTLEMENT).count()).isZero();
        assertThat(s.get(PathWatcher.GATEWAY_OUT).count()).isZero();
        assertThat(s.get(PathWatcher.AUDIT).count()).isZero();
    }

    @Test
    void readsTheIdsFromTheTextWhateverTheFieldOrder() {
        assertThat(PathWatcher.firstString("{\"bodyHash\":\"ab\",\"cancel\":null,\"commandId\":\"c-7\",\"settlement\":{\"insured\":"
                + "{\"psnNo\":\"P1\"},\"msgId\":\"M7\"}}", "msgId")).isEqualTo("M7");
        assertThat(PathWatcher.firstString("{\"commandId\":\"c-8\",\"type\":\"REVERSE\",\"reversal\":{\"originalMsgId\":\"OLD\","
                + "\"msgId\":\"R8\"}}", "msgId")).isEqualTo("R8");
        assertThat(PathWatcher.firstString("{\"commandId\":\"c-8\"}", "msgId")).isNull();
        assertThat(PathWatcher.firstString("{\"msgId\":\"unterminated", "msgId")).isNull();
    }

    @Test
    void aCancellationIsFoundByItsOwnMsgIdAndAClockStepBackIsClampedToZero() {
        PathWatcher w = new PathWatcher();
        long intended = 3_000_000_000L;
        long base = (long) Math.floor(w.epochMillis(intended));
        w.sent("C1", intended);
        w.onRecord(Topics.SETTLEMENT_REQUESTS, "{\"commandId\":\"c-3\",\"type\":\"CANCEL\",\"cancel\":{\"setlId\":\"S1\",\"msgId\":\"C1\"}}",
                base - 3);
        assertThat(w.segments().get(PathWatcher.GATEWAY_IN).count()).isEqualTo(1);
        assertThat(w.segments().get(PathWatcher.GATEWAY_IN).max()).isLessThan(0.01);
    }
}
