package cn.pharmacyclaims.settlement.claim;

import cn.pharmacyclaims.common.events.CommandType;
import cn.pharmacyclaims.common.events.SettlementCommand;
import cn.pharmacyclaims.common.events.SettlementRequest;
import cn.pharmacyclaims.common.json.Json;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CommandsTest {

    private static SettlementRequest request() {
        return new SettlementRequest("P44010500001202611231015000001", "P44010500001", OffsetDateTime.parse("2026-11-23T10:15:00+08:00"),
                "op-7", new SettlementRequest.Insured("4401", SettlementRequest.CertType.SOCIAL_CARD, "A123456789"), null, null, true,
                List.of(new SettlementRequest.Line(1, "X1", BigDecimal.ONE, BigDecimal.TEN, 7, null)));
    }

    @Test
    void aWellFormedCommandParses() {
        SettlementCommand c = new SettlementCommand("c1", CommandType.SETTLE, "gw-1", "T-1", OffsetDateTime.now(), "abc", request(), null, null);
        assertThat(Commands.parse(Json.write(c))).isEqualTo(c);
    }

    @Test
    void garbageAndIncompleteCommandsAreInvalidWithoutEchoingThePayload() {
        assertThatThrownBy(() -> Commands.parse("{oops A123456789")).isInstanceOf(InvalidCommand.class)
                .hasMessageStartingWith("not a SettlementCommand").hasMessageNotContaining("A123456789");
        assertThatThrownBy(() -> Commands.parse(null)).isInstanceOf(InvalidCommand.class);
        assertThatThrownBy(() -> Commands.parse("{}")).isInstanceOf(InvalidCommand.class).hasMessageContaining("type");
        assertThatThrownBy(() -> Commands.parse(Json.write(new SettlementCommand("c2", CommandType.CANCEL, "gw", "T", null, null, null,
                new SettlementCommand.CancelRequest(null, null, "P1", "op"), null)))).isInstanceOf(InvalidCommand.class);
        assertThatThrownBy(() -> Commands.parse(Json.write(new SettlementCommand("c3", CommandType.REVERSE, "gw", "T", null, null, null,
                null, null)))).isInstanceOf(InvalidCommand.class);
    }

    @Test
    void withoutTheGatewaysHashTheCanonicalBodyIsHashed_CLM01() {
        SettlementCommand c = new SettlementCommand("c1", CommandType.SETTLE, "gw-1", "T-1", null, null, request(), null, null);
        assertThat(Commands.bodyHash(c)).hasSize(64).isEqualTo(Commands.bodyHash(c));
        SettlementCommand withHash = new SettlementCommand("c1", CommandType.SETTLE, "gw-1", "T-1", null, "given", request(), null, null);
        assertThat(Commands.bodyHash(withHash)).isEqualTo("given");
    }
}
