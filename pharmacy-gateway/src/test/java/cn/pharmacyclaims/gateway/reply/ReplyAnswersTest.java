package cn.pharmacyclaims.gateway.reply;

import cn.pharmacyclaims.common.events.CommandType;
import cn.pharmacyclaims.common.events.SettlementCommand;
import cn.pharmacyclaims.common.events.SettlementReply;
import cn.pharmacyclaims.common.events.SettlementRequest;
import cn.pharmacyclaims.common.events.SettlementResult;
import cn.pharmacyclaims.common.events.SettlementStatus;
import cn.pharmacyclaims.gateway.api.Answer;
import cn.pharmacyclaims.platform.web.Problem;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class ReplyAnswersTest {
    private static final String MSG = "P44010500001202611231015000001";

    private static SettlementCommand command(CommandType type) {
        SettlementRequest req = new SettlementRequest(MSG, "P44010500001", OffsetDateTime.now(), null,
                new SettlementRequest.Insured("PSN1", SettlementRequest.CertType.ID_CARD, "X"), null, null, true, List.of());
        return switch (type) {
            case PREVIEW, SETTLE -> new SettlementCommand("c1", type, "gw", "T-1", OffsetDateTime.now(), "h", req, null, null);
            case CANCEL -> new SettlementCommand("c1", type, "gw", "T-1", OffsetDateTime.now(), "h", null,
                    new SettlementCommand.CancelRequest("S-9", null, "P44010500001", null), null);
            case REVERSE -> new SettlementCommand("c1", type, "gw", "T-1", OffsetDateTime.now(), "h", null, null,
                    new SettlementCommand.ReversalRequest("P44010500001202611231016000001", MSG, "P44010500001"));
        };
    }

    @Test
    void aResultIs200WithTheResultWhateverItsStatus() {
        SettlementResult result = SettlementResult.rejected("S-1", MSG,
                List.of(new SettlementResult.Reject(cn.pharmacyclaims.common.events.RejectCode.ITEM_UNKNOWN, 1, "no")),
                OffsetDateTime.now());
        Answer a = ReplyAnswers.of(command(CommandType.SETTLE),
                Optional.of(ReplyEnvelope.of(new SettlementReply("c1", "gw", SettlementReply.Outcome.RESULT, result, null))), "/p", 1);
        assertThat(a.response().getStatus()).isEqualTo(200);
        assertThat(a.outcome()).isEqualTo("rejected");
        assertThat((String) a.response().getEntity()).contains("\"ITEM_UNKNOWN\"");
    }

    @Test
    void amountsStayExactStrings() {
        SettlementResult result = new SettlementResult("S-1", MSG, SettlementStatus.SETTLED,
                new SettlementResult.Totals(new BigDecimal("24.68"), BigDecimal.ZERO.setScale(2), BigDecimal.ZERO.setScale(2),
                        BigDecimal.ZERO.setScale(2), BigDecimal.ZERO.setScale(2), new BigDecimal("24.68"), BigDecimal.ZERO.setScale(2)),
                List.of(), new BigDecimal("975.32"), List.of(), OffsetDateTime.now());
        Answer a = ReplyAnswers.of(command(CommandType.SETTLE),
                Optional.of(ReplyEnvelope.of(new SettlementReply("c1", "gw", SettlementReply.Outcome.RESULT, result, null))), "/p", 1);
        assertThat((String) a.response().getEntity()).contains("\"total\":\"24.68\"", "\"accountBalanceAfter\":\"975.32\"");
        assertThat(a.outcome()).isEqualTo("settled");
    }

    @Test
    void clm01_conflictIs409WithItsCode() {
        Answer a = ReplyAnswers.of(command(CommandType.SETTLE),
                Optional.of(ReplyEnvelope.of(new SettlementReply("c1", "gw", SettlementReply.Outcome.CONFLICT, null, null))), "/p", 1);
        assertThat(a.response().getStatus()).isEqualTo(409);
        assertThat(((Problem) a.response().getEntity()).code()).isEqualTo("DUPLICATE_MSG_ID_CONFLICT");
    }

    @Test
    void notFoundIs404() {
        Answer a = ReplyAnswers.of(command(CommandType.CANCEL),
                Optional.of(ReplyEnvelope.of(new SettlementReply("c1", "gw", SettlementReply.Outcome.NOT_FOUND, null, "no S-9"))), "/p", 1);
        assertThat(a.response().getStatus()).isEqualTo(404);
        assertThat(((Problem) a.response().getEntity()).detail()).isEqualTo("no S-9");
    }

    @Test
    void noReplyWithinTheBudgetIs202PendingWithALocationToPoll() {
        Answer settle = ReplyAnswers.of(command(CommandType.SETTLE), Optional.empty(), "/p", 1);
        assertThat(settle.response().getStatus()).isEqualTo(202);
        assertThat(settle.response().getHeaderString("Location")).isEqualTo("/api/v1/settlements?msgId=" + MSG);
        assertThat((String) settle.response().getEntity()).contains("\"status\":\"PENDING\"", "\"msgId\":\"" + MSG + "\"");

        assertThat(ReplyAnswers.of(command(CommandType.CANCEL), Optional.empty(), "/p", 1).response()
                .getHeaderString("Location")).isEqualTo("/api/v1/settlements/S-9");
        assertThat(ReplyAnswers.of(command(CommandType.REVERSE), Optional.empty(), "/p", 1).response()
                .getHeaderString("Location")).isEqualTo("/api/v1/settlements?msgId=" + MSG);
    }

    @Test
    void clm13_aLatePreviewIsA503ToRetryNotAPendingToPoll() {
        Answer a = ReplyAnswers.of(command(CommandType.PREVIEW), Optional.empty(), "/p", 2);
        assertThat(a.response().getStatus()).isEqualTo(503);
        assertThat(a.response().getHeaderString("Retry-After")).isEqualTo("2");
    }
}
