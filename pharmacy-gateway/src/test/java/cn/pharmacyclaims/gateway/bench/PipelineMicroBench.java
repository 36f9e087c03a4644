package cn.pharmacyclaims.gateway.bench;

import cn.pharmacyclaims.common.events.CommandType;
import cn.pharmacyclaims.common.events.SettlementCommand;
import cn.pharmacyclaims.common.events.SettlementReply;
import cn.pharmacyclaims.common.json.Json;
import cn.pharmacyclaims.common.security.PosSignature;
import cn.pharmacyclaims.gateway.reply.ReplyEnvelope;
import cn.pharmacyclaims.gateway.validation.IsoDateTimes;
import cn.pharmacyclaims.gateway.validation.PosJson;
import cn.pharmacyclaims.gateway.validation.SettlementRequestValidator;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The CPU of each step the gateway takes per POS settlement, alone and hot, in one thread: what
 * the body, the command and the reply cost without the HTTP server, the broker and the database.
 * Prints nanoseconds per operation; asserts nothing about speed (tag {@code bench}):
 * <pre>./mvnw -B -pl pharmacy-gateway test -Dgroups=bench -Dtest=PipelineMicroBench</pre>
 */
@Tag("bench")
class PipelineMicroBench {
    private static final com.fasterxml.jackson.databind.ObjectWriter COMMAND = Json.MAPPER.writerFor(SettlementCommand.class);
    private static final int ROUNDS = Integer.getInteger("bench.rounds", 200_000);

    @Test
    void stepsOfOneSettlement() throws Exception {
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.ofHours(8)).withNano(0);
        String pharmacy = "P44010500001";
        String msgId = pharmacy + "202611231015000001";
        byte[] body = ("{\"msgId\":\"" + msgId + "\",\"pharmacyCode\":\"" + pharmacy + "\",\"occurredAt\":\"" + now + "\",\"operatorId\":\"op-7\","
                + "\"insured\":{\"psnNo\":\"PSN-1\",\"certType\":\"SOCIAL_CARD\",\"certNo\":\"A12345678\"},\"useAccount\":true,"
                + "\"prescription\":{\"rxNo\":\"RX-1\",\"electronic\":true,\"institutionCode\":\"H44010500003\",\"physicianCode\":\"D0042\","
                + "\"patientPsnNo\":\"PSN-1\",\"issuedAt\":\"" + now.minusDays(1) + "\",\"validDays\":30,\"diagnosisCode\":\"E11.9\"},"
                + "\"lines\":[{\"lineNo\":1,\"itemCode\":\"XC08CAA0450101\",\"quantity\":\"2\",\"unitPrice\":\"12.3400\",\"daysSupply\":7,\"pharmacistLicence\":\"PH-0091\"},"
                + "{\"lineNo\":2,\"itemCode\":\"XA10BAA0120102\",\"quantity\":\"1\",\"unitPrice\":\"35.5000\",\"daysSupply\":28,\"pharmacistLicence\":\"PH-0091\"},"
                + "{\"lineNo\":3,\"itemCode\":\"ZB01AAA0330101\",\"quantity\":\"3\",\"unitPrice\":\"8.0000\",\"daysSupply\":10,\"pharmacistLicence\":\"PH-0091\"}]}")
                .getBytes(StandardCharsets.UTF_8);
        String ts = now.toString();
        String nonce = UUID.randomUUID().toString();
        String sig = PosSignature.sign("secret", "POST", "/api/v1/settlements", ts, nonce, body);
        SettlementRequestValidator validator = new SettlementRequestValidator();
        PosJson.Parsed parsed = PosJson.parse(body);
        SettlementRequestValidator.Checked checked = validator.read(parsed.node());
        assertThat(checked.errors()).isEmpty();
        SettlementCommand command = new SettlementCommand(UUID.randomUUID().toString(), CommandType.SETTLE, "gw", "T-1",
                now, "hash", checked.request(), null, null);
        byte[] reply = Json.write(new SettlementReply(command.commandId(), "gw", SettlementReply.Outcome.RESULT,
                BenchSettlement.settled(msgId), null)).getBytes(StandardCharsets.UTF_8);

        time("X-Timestamp parse (JDK)", () -> OffsetDateTime.parse(ts));
        time("X-Timestamp parse (IsoDateTimes)", () -> IsoDateTimes.parseOffsetDateTime(ts));
        time("body hash", () -> PosSignature.sha256Hex(body));
        time("signature (hash + HMAC)", () -> PosSignature.verifyHashed("secret", "POST", "/api/v1/settlements", ts, nonce,
                PosSignature.sha256Hex(body), sig));
        time("PosSignature.verify (common)", () -> PosSignature.verify("secret", "POST", "/api/v1/settlements", ts, nonce, body, sig));
        time("body parse (tree)", () -> PosJson.parse(body));
        time("validate + build request", () -> validator.read(parsed.node()));
        time("bind tree (treeToValue)", () -> PosJson.convert(parsed.node(), cn.pharmacyclaims.common.events.SettlementRequest.class));
        time("command JSON (String)", () -> Json.write(command));
        time("command JSON (bytes)", () -> COMMAND.writeValueAsBytes(command));
        time("reply envelope parse", () -> ReplyEnvelope.parse(reply));
        time("reply full bind + result write", () -> Json.write(Json.read(new String(reply, StandardCharsets.UTF_8), SettlementReply.class).result()));
        time("commandId (UUID)", () -> UUID.randomUUID().toString());
    }

    private interface Op {
        Object run() throws Exception;
    }

    private static void time(String what, Op op) throws Exception {
        Object sink = null;
        for (int i = 0; i < ROUNDS; i++) {
            sink = op.run();
        }
        long start = System.nanoTime();
        for (int i = 0; i < ROUNDS; i++) {
            sink = op.run();
        }
        long ns = (System.nanoTime() - start) / ROUNDS;
        System.out.printf("%-32s %7d ns/op%s%n", what, ns, sink == null ? " (null)" : "");
    }
}
