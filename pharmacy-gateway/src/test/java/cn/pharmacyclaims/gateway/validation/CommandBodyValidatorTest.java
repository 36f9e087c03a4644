package cn.pharmacyclaims.gateway.validation;

import cn.pharmacyclaims.platform.web.Problem;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class CommandBodyValidatorTest {
    private static final String PHARMACY = "P44010500001";
    private final CommandBodyValidator validator = new CommandBodyValidator();

    private static PosJson.Parsed json(String s) {
        return PosJson.parse(s.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void clm14_cancelBodyIsOptionalAndItsMsgIdBelongsToTheTerminalsPharmacy() {
        assertThat(validator.cancel("S-1", json(""), PHARMACY)).isEmpty();
        assertThat(validator.cancel("S-1", json("{\"msgId\":\"P44010500001202611231015000002\",\"operatorId\":\"op\"}"), PHARMACY)).isEmpty();
        assertThat(validator.cancel("S-1", json("{\"msgId\":\"P44010500009202611231015000002\"}"), PHARMACY))
                .extracting(Problem.FieldError::field).containsExactly("msgId");
        assertThat(validator.cancel("S 1/..", json("[]"), PHARMACY))
                .extracting(Problem.FieldError::field).containsExactly("setlId", "$");
    }

    @Test
    void clm15_reversalNeedsBothMsgIds() {
        assertThat(validator.reversal(json("{\"msgId\":\"P44010500001202611231016000001\","
                + "\"originalMsgId\":\"P44010500001202611231015000001\"}"), PHARMACY)).isEmpty();
        assertThat(validator.reversal(json("{\"msgId\":\"short\"}"), PHARMACY))
                .extracting(Problem.FieldError::field).containsExactly("msgId", "originalMsgId");
        assertThat(validator.reversal(json("{\"msgId\":\"P44010500001202611231015000001\","
                + "\"originalMsgId\":\"P44010500001202611231015000001\"}"), PHARMACY))
                .extracting(Problem.FieldError::field).containsExactly("msgId");
        assertThat(validator.reversal(json(""), PHARMACY)).extracting(Problem.FieldError::field).containsExactly("$");
    }

    @Test
    void queryIdsAreChecked() {
        assertThat(validator.queryMsgId(null)).extracting(Problem.FieldError::field).containsExactly("msgId");
        assertThat(validator.queryMsgId("P44010500001202611231015000001")).isEmpty();
        assertThat(validator.setlId("S-2026-000001")).isEmpty();
        assertThat(validator.setlId("x".repeat(65))).hasSize(1);
    }
}
