package cn.pharmacyclaims.gateway.reply;

import cn.pharmacyclaims.common.events.RejectCode;
import cn.pharmacyclaims.common.events.SettlementReply;
import cn.pharmacyclaims.common.events.SettlementResult;
import cn.pharmacyclaims.common.events.SettlementStatus;
import cn.pharmacyclaims.common.json.Json;
import org.junit.jupiter.api.Test;

import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The reply as the gateway reads it: routed by its envelope, the result passed on as settlement wrote it. */
class ReplyEnvelopeTest {
    private static final String MSG = "P44010500001202611231015000001";

    private static SettlementResult settled() {
        BigDecimal zero = new BigDecimal("0.00");
        return new SettlementResult("S-1", MSG, SettlementStatus.SETTLED,
                new SettlementResult.Totals(new BigDecimal("24.68"), zero, zero, zero, new BigDecimal("17.28"),
                        new BigDecimal("7.40"), zero),
                List.of(new SettlementResult.LineResult(1, new BigDecimal("24.68"), zero, zero, zero, new BigDecimal("24.68"),
                        new BigDecimal("17.28"), SettlementResult.Benefit.POOLING, new BigDecimal("7.40"), zero)),
                new BigDecimal("975.32"), List.of(), OffsetDateTime.of(2026, 11, 23, 10, 15, 0, 123_000_000, ZoneOffset.ofHours(8)));
    }

    private static byte[] bytes(SettlementReply r) {
        return Json.write(r).getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void theResultIsExactlyWhatWritingTheParsedResultWouldGive() {
        SettlementResult result = settled();
        ReplyEnvelope e = ReplyEnvelope.parse(bytes(new SettlementReply("c-1", "gw-1", SettlementReply.Outcome.RESULT, result, null)));

        assertThat(e.commandId()).isEqualTo("c-1");
        assertThat(e.replyTo()).isEqualTo("gw-1");
        assertThat(e.outcome()).isEqualTo(SettlementReply.Outcome.RESULT);
        assertThat(e.resultStatus()).isEqualTo(SettlementStatus.SETTLED);
        assertThat(e.resultJson()).isEqualTo(Json.write(result));
        // and it reads back as the same result (amounts exact, time with its offset)
        assertThat(Json.read(e.resultJson(), SettlementResult.class)).isEqualTo(result);
    }

    @Test
    void textOutsideAsciiIsCutAtCharacterBoundaries() {
        SettlementResult rejected = SettlementResult.rejected("S-2", MSG,
                List.of(new SettlementResult.Reject(RejectCode.ITEM_UNKNOWN, 1, "目录中无此药品 «XC08»")), null);
        ReplyEnvelope e = ReplyEnvelope.parse(bytes(new SettlementReply("c-2", "gw-1", SettlementReply.Outcome.RESULT,
                rejected, "备注：无")));

        assertThat(e.resultJson()).isEqualTo(Json.write(rejected)).contains("目录中无此药品 «XC08»");
        assertThat(e.detail()).isEqualTo("备注：无");
        assertThat(e.resultStatus()).isEqualTo(SettlementStatus.REJECTED);
    }

    @Test
    void aReplyWithoutResultHasNone() {
        ReplyEnvelope e = ReplyEnvelope.parse(bytes(new SettlementReply("c-3", "gw-1", SettlementReply.Outcome.CONFLICT, null,
                "msgId already used")));
        assertThat(e.outcome()).isEqualTo(SettlementReply.Outcome.CONFLICT);
        assertThat(e.resultJson()).isNull();
        assertThat(e.resultStatus()).isNull();
        assertThat(e.detail()).isEqualTo("msgId already used");
    }

    @Test
    void fieldsInAnyOrderAndUnknownFieldsAreRead() {
        String json = "{\"future\":{\"a\":[1,2,{\"b\":null}]},\"result\":{\"status\":\"CANCELLED\",\"x\":[]},"
                + "\"replyTo\":\"gw-9\",\"outcome\":\"RESULT\",\"commandId\":\"c-4\",\"detail\":null}";
        ReplyEnvelope e = ReplyEnvelope.parse(json.getBytes(StandardCharsets.UTF_8));
        assertThat(e.commandId()).isEqualTo("c-4");
        assertThat(e.replyTo()).isEqualTo("gw-9");
        assertThat(e.resultJson()).isEqualTo("{\"status\":\"CANCELLED\",\"x\":[]}");
        assertThat(e.resultStatus()).isEqualTo(SettlementStatus.CANCELLED);
    }

    @Test
    void whatIsNotAReplyIsRefusedAsBindingWouldHaveRefusedIt() {
        assertThatThrownBy(() -> ReplyEnvelope.parse("not json".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(UncheckedIOException.class);
        assertThatThrownBy(() -> ReplyEnvelope.parse("[1]".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(UncheckedIOException.class);
        assertThatThrownBy(() -> ReplyEnvelope.parse("{\"commandId\":\"c\",\"outcome\":\"MAYBE\"}".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(UncheckedIOException.class);
        assertThatThrownBy(() -> ReplyEnvelope.parse("{\"commandId\":\"c\",\"result\":{\"status\":\"HALF_DONE\"}}".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(UncheckedIOException.class);
        assertThatThrownBy(() -> ReplyEnvelope.parse("{\"commandId\":\"c\",\"result\":{\"status\":\"SETTLED\"".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(UncheckedIOException.class);
    }
}
