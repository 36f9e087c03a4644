package cn.pharmacyclaims.settlement.pharmacy;

import cn.pharmacyclaims.common.events.PharmacyStatus;
import cn.pharmacyclaims.common.events.PharmacyStatusChanged;
import cn.pharmacyclaims.common.events.RejectCode;
import cn.pharmacyclaims.common.events.SettlementCommand;
import cn.pharmacyclaims.common.events.SettlementResult;
import cn.pharmacyclaims.common.events.SettlementStatus;
import cn.pharmacyclaims.common.events.TerminalChanged;
import cn.pharmacyclaims.settlement.support.Scenario;
import cn.pharmacyclaims.settlement.support.TestKafka;
import cn.pharmacyclaims.testinfra.RealInfraResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.LocalDate;
import java.time.OffsetDateTime;

import static cn.pharmacyclaims.settlement.support.Scenario.line;
import static org.assertj.core.api.Assertions.assertThat;

/** AGR-11: the local copy of pharmacy status and terminals, and CLM-02 decided from it. */
@QuarkusTest
@WithTestResource(value = RealInfraResource.class, initArgs = @ResourceArg(name = "database", value = "settlement"))
class AgreementEventsTest {

    @Inject
    Pool pool;

    @Inject
    PharmacyDirectory directory;

    private static SettlementResult run(TestKafka kafka, SettlementCommand c) {
        kafka.send(c);
        return kafka.awaitReply(c.commandId()).result();
    }

    @Test
    void aSuspensionEventStopsSettlementAndReactivationResumesIt_CLM02_AGR07() {
        Scenario s = Scenario.ready(pool);
        TestKafka kafka = s.kafka();
        String psn = s.person("EMPLOYEE", "100.00");
        String item = s.item("A", false, null);

        s.publishPharmacy(PharmacyStatus.SUSPENDED, 2);
        SettlementResult suspended = run(kafka, s.settle(s.request(psn, line(1, item, "1", "10.00", 3))));
        assertThat(suspended.status()).isEqualTo(SettlementStatus.REJECTED);
        assertThat(suspended.rejects()).extracting(SettlementResult.Reject::code).containsExactly(RejectCode.AGREEMENT_NOT_ACTIVE);

        s.publishPharmacy(PharmacyStatus.ACTIVE, 3);
        s.publishPharmacyEvent(PharmacyStatus.ACTIVE, 3); // a replay changes nothing
        assertThat(run(kafka, s.settle(s.request(psn, line(1, item, "1", "10.00", 3)))).status()).isEqualTo(SettlementStatus.SETTLED);
    }

    @Test
    void anEventNotNewerThanTheCopyIsIgnored_AGR11() {
        Scenario s = Scenario.ready(pool); // ACTIVE version 1
        s.publishPharmacy(PharmacyStatus.SUSPENDED, 5);

        PharmacyStatusChanged stale = new PharmacyStatusChanged(s.pharmacyCode, "x", s.region, "x", null, null, null,
                PharmacyStatus.ACTIVE, "GENERAL", LocalDate.of(2020, 1, 1), null, 4, OffsetDateTime.now(), "late");
        boolean applied = directory.apply(pool, stale).await().atMost(Duration.ofSeconds(10));

        assertThat(applied).isFalse();
        var row = s.query("SELECT status, version FROM pharmacy WHERE pharmacy_code = $1", Tuple.of(s.pharmacyCode)).iterator().next();
        assertThat(row.getString("status")).isEqualTo("SUSPENDED");
        assertThat(row.getLong("version")).isEqualTo(5);
        assertThat(directory.apply(pool, new TerminalChanged(s.terminalId, "P000000000000", TerminalChanged.Status.REVOKED, null, 1,
                OffsetDateTime.now())).await().atMost(Duration.ofSeconds(10))).isFalse();
    }

    @Test
    void aTerminalMovedToAnotherPharmacyIsRefused_CLM02_SEC01() {
        Scenario s = Scenario.ready(pool);
        TestKafka kafka = s.kafka();
        String psn = s.person("EMPLOYEE", "100.00");
        String item = s.item("A", false, null);

        s.publishTerminal("P999999999999", 2);
        SettlementResult r = run(kafka, s.settle(s.request(psn, line(1, item, "1", "10.00", 3))));

        assertThat(r.rejects()).extracting(SettlementResult.Reject::code).containsExactly(RejectCode.TERMINAL_PHARMACY_MISMATCH);
    }
}
