package cn.pharmacyclaims.agreement.pharmacy;

import cn.pharmacyclaims.agreement.lifecycle.Agreement;
import cn.pharmacyclaims.agreement.lifecycle.AgreementType;
import cn.pharmacyclaims.agreement.pharmacy.ImportPlanner.Change;
import cn.pharmacyclaims.agreement.pharmacy.ImportPlanner.Kind;
import cn.pharmacyclaims.agreement.pharmacy.ImportPlanner.Plan;
import cn.pharmacyclaims.agreement.pharmacy.ImportValidator.ValidRow;
import cn.pharmacyclaims.common.events.PharmacyStatus;
import org.junit.jupiter.api.Test;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class ImportPlannerTest {
    static final OffsetDateTime NOW = OffsetDateTime.of(2026, 6, 15, 10, 0, 0, 0, ZoneOffset.ofHours(8));
    static final LocalDate FROM = LocalDate.of(2026, 1, 1);
    static final LocalDate TO = LocalDate.of(2026, 12, 31);
    static final String CODE = "P44010500001";

    static ValidRow row(PharmacyStatus status, LocalDate from, LocalDate to, String name) {
        return new ValidRow(0, new Pharmacy(CODE, name, "440105", "1 Road", 23.1, 113.3, "08:00-22:00", 0), status,
                AgreementType.GENERAL, from, to);
    }

    static PharmacyState stored(PharmacyStatus status) {
        Pharmacy p = new Pharmacy(CODE, "Kang Jian", "440105", "1 Road", 23.1, 113.3, "08:00-22:00", 5);
        Agreement a = new Agreement(42, CODE, "440105", AgreementType.GENERAL, FROM, TO, status, false,
                status == PharmacyStatus.SUSPENDED ? 1 : 0, status == PharmacyStatus.SUSPENDED ? NOW.minusDays(2) : null, false,
                null, NOW.minusDays(2), 2);
        return new PharmacyState(p, a);
    }

    static Change only(Plan plan) {
        assertThat(plan.errors()).isEmpty();
        assertThat(plan.changes()).hasSize(1);
        return plan.changes().get(0);
    }

    @Test
    void aNewPharmacyStartsAtVersionOne() {
        Change c = only(ImportPlanner.plan(List.of(row(PharmacyStatus.SUSPENDED, FROM, TO, "Kang Jian")), Map.of(), NOW));
        assertThat(c.kind()).isEqualTo(Kind.CREATED);
        assertThat(c.after().version()).isEqualTo(1);
        assertThat(c.newAgreement()).isTrue();
        assertThat(c.after().agreement().status()).isEqualTo(PharmacyStatus.SUSPENDED);
        assertThat(c.after().agreement().suspendedAt()).isEqualTo(NOW);
        assertThat(c.after().agreement().suspensionsInTerm()).isEqualTo(1);
    }

    @Test
    void theSameDataAgainChangesNothing() {
        Change c = only(ImportPlanner.plan(List.of(row(PharmacyStatus.ACTIVE, FROM, TO, "Kang Jian")),
                Map.of(CODE, stored(PharmacyStatus.ACTIVE)), NOW));
        assertThat(c.kind()).isEqualTo(Kind.UNCHANGED);
        assertThat(c.after().version()).isEqualTo(5);
    }

    @Test
    void aChangedNameOrStatusBumpsTheVersion() {
        Change renamed = only(ImportPlanner.plan(List.of(row(PharmacyStatus.ACTIVE, FROM, TO, "New Name")),
                Map.of(CODE, stored(PharmacyStatus.ACTIVE)), NOW));
        assertThat(renamed.kind()).isEqualTo(Kind.UPDATED);
        assertThat(renamed.after().version()).isEqualTo(6);
        assertThat(renamed.agreementChanged()).isFalse();

        Change held = only(ImportPlanner.plan(List.of(row(PharmacyStatus.SETTLEMENT_HOLD, FROM, TO, "Kang Jian")),
                Map.of(CODE, stored(PharmacyStatus.ACTIVE)), NOW));
        assertThat(held.agreementChanged()).isTrue();
        assertThat(held.newAgreement()).isFalse();
        assertThat(held.after().agreement().id()).isEqualTo(42);
        assertThat(held.after().agreement().settlementHold()).isTrue();
        assertThat(held.after().agreement().version()).isEqualTo(3);
        assertThat(held.note()).contains("status ACTIVE -> SETTLEMENT_HOLD");
    }

    @Test
    void agr09_aNewValidFromStartsANewTermWithNoSuspensions() {
        LocalDate nextFrom = LocalDate.of(2026, 6, 1);
        Change c = only(ImportPlanner.plan(List.of(row(PharmacyStatus.ACTIVE, nextFrom, LocalDate.of(2027, 5, 31), "Kang Jian")),
                Map.of(CODE, stored(PharmacyStatus.SUSPENDED)), NOW));
        assertThat(c.newAgreement()).isTrue();
        assertThat(c.after().agreement().suspensionsInTerm()).isZero();
        assertThat(c.after().agreement().status()).isEqualTo(PharmacyStatus.ACTIVE);
        assertThat(c.after().version()).isEqualTo(6);
    }

    @Test
    void agr09_anImportCannotChangeATerminatedAgreement() {
        Plan plan = ImportPlanner.plan(List.of(row(PharmacyStatus.ACTIVE, FROM, TO, "Kang Jian")),
                Map.of(CODE, stored(PharmacyStatus.TERMINATED)), NOW);
        assertThat(plan.errors()).singleElement().satisfies(e -> assertThat(e.field()).isEqualTo("[0].agreement"));
        // renaming a terminated pharmacy is allowed (the published list shows the current name)
        Change renamed = only(ImportPlanner.plan(List.of(row(PharmacyStatus.TERMINATED, FROM, TO, "Renamed")),
                Map.of(CODE, stored(PharmacyStatus.TERMINATED)), NOW));
        assertThat(renamed.kind()).isEqualTo(Kind.UPDATED);
        assertThat(renamed.after().agreement().status()).isEqualTo(PharmacyStatus.TERMINATED);
    }

    @Test
    void agr05_aTermThatAlreadyEndedIsStoredExpiredAndReimportingItChangesNothing() {
        LocalDate lastYear = LocalDate.of(2025, 12, 31);
        Change c = only(ImportPlanner.plan(List.of(row(PharmacyStatus.ACTIVE, LocalDate.of(2025, 1, 1), lastYear, "Kang Jian")),
                Map.of(), NOW));
        assertThat(c.after().agreement().status()).isEqualTo(PharmacyStatus.EXPIRED);
        assertThat(c.note()).contains("EXPIRED (AGR-05)");

        PharmacyState expired = new PharmacyState(c.after().pharmacy().withVersion(1), c.after().agreement().withId(9));
        Change again = only(ImportPlanner.plan(List.of(row(PharmacyStatus.ACTIVE, LocalDate.of(2025, 1, 1), lastYear, "Kang Jian")),
                Map.of(CODE, expired), NOW));
        assertThat(again.kind()).isEqualTo(Kind.UNCHANGED);
    }
}
