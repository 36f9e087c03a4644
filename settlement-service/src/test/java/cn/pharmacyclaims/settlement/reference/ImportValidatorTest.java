package cn.pharmacyclaims.settlement.reference;

import cn.pharmacyclaims.platform.web.Problem;
import cn.pharmacyclaims.settlement.adjudication.Snapshots;
import cn.pharmacyclaims.settlement.reference.ImportRows.BenefitRow;
import cn.pharmacyclaims.settlement.reference.ImportRows.CatalogueRow;
import cn.pharmacyclaims.settlement.reference.ImportRows.ChronicCapRow;
import cn.pharmacyclaims.settlement.reference.ImportRows.ChronicRow;
import cn.pharmacyclaims.settlement.reference.ImportRows.InstitutionRow;
import cn.pharmacyclaims.settlement.reference.ImportRows.PersonRow;
import cn.pharmacyclaims.settlement.reference.ImportRows.PolicyRow;
import cn.pharmacyclaims.settlement.reference.ImportRows.PrescriptionItemRow;
import cn.pharmacyclaims.settlement.reference.ImportRows.PrescriptionRow;
import org.junit.jupiter.api.Test;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ImportValidatorTest {

    private static List<String> fields(ImportValidator.Validated<?> v) {
        return v.errors().stream().map(Problem.FieldError::field).toList();
    }

    @Test
    void aGoodCatalogueRowIsTyped() {
        var v = ImportValidator.catalogue(List.of(new CatalogueRow("XC08", "Amlodipine", "5mg*28", "A", true, "30.00", List.of("I10"))));
        assertThat(v.ok()).isTrue();
        var e = v.rows().get(0);
        assertThat(e.itemClass()).isEqualTo(Snapshots.ItemClass.A);
        assertThat(e.paymentStandard()).isEqualByComparingTo("30.00");
        assertThat(e.chronicDiseases()).containsExactly("I10");
    }

    @Test
    void everyBadCatalogueRowAndFieldIsNamed() {
        var v = ImportValidator.catalogue(List.of(
                new CatalogueRow("X1", "ok", null, "NON_MEDICAL", false, null, null),
                new CatalogueRow(" ", null, null, "E", null, "12.34567", null),
                new CatalogueRow("X1", "dup", null, "C", false, "-1", List.of(""))));
        assertThat(v.ok()).isFalse();
        assertThat(v.rows()).isEmpty();
        assertThat(fields(v)).containsExactlyInAnyOrder("[1].itemCode", "[1].name", "[1].class", "[1].rx", "[1].paymentStandard",
                "[2].paymentStandard", "[2].chronicDiseases[0]", "[2].itemCode");
    }

    @Test
    void personsNeedACredentialAndResidentsHaveNoAccount() {
        var good = ImportValidator.persons(List.of(new PersonRow("P1", List.of("C1"), "EMPLOYEE", "440105", "ACTIVE", null, "1000",
                List.of(new ChronicRow("I10", "2026-01-01", null)))));
        assertThat(good.ok()).isTrue();
        assertThat(good.rows().get(0).accountBalance()).hasToString("1000.00");
        assertThat(good.rows().get(0).chronic().get(0).validFrom()).isEqualTo(LocalDate.of(2026, 1, 1));

        var bad = ImportValidator.persons(List.of(new PersonRow("P2", List.of(), "RESIDENT", "440105", "GONE", false, "1.005",
                List.of(new ChronicRow("I10", "2026-02-01", "2026-01-01")))));
        assertThat(fields(bad)).containsExactlyInAnyOrder("[0].certNos", "[0].status", "[0].accountBalance", "[0].chronic[0].validTo");
        var resident = ImportValidator.persons(List.of(new PersonRow("P3", List.of("C"), "RESIDENT", "440105", "ACTIVE", false, "5.00", null)));
        assertThat(fields(resident)).containsExactly("[0].accountBalance");
    }

    @Test
    void institutionsNeedTheDesignationFlag() {
        assertThat(fields(ImportValidator.institutions(List.of(new InstitutionRow("H1", null, null))))).containsExactly("[0].designated");
        assertThat(ImportValidator.institutions(List.of(new InstitutionRow("H1", true, List.of("D1", "D1")))).rows().get(0).physicians())
                .containsExactly("D1");
    }

    @Test
    void policiesTakeTheExtensionsDefaultsAndRefuseWhatTheRulesCannotApply() {
        PolicyRow row = new PolicyRow("440105", "2026-01-01", 7, 30, "0.80", "0.10", true, true, null, null, null,
                List.of(new BenefitRow("EMPLOYEE", "POOLING", "200.00", "0.50", "2000.00"),
                        new BenefitRow("EMPLOYEE", "CHRONIC", "0", "0.70", null)),
                List.of(new ChronicCapRow("I10", "3000")));
        var v = ImportValidator.policies(List.of(row));
        assertThat(v.ok()).isTrue();
        var p = v.rows().get(0);
        assertThat(p.holdAllowsSettlement()).isFalse();
        assertThat(p.maxRxItems()).isEqualTo(5);
        assertThat(p.maxRxValidDays()).isEqualTo(3);
        assertThat(p.chronicCaps().get(0).cap()).hasToString("3000.00");

        PolicyRow bad = new PolicyRow("44010", null, 7, 3, "80%", "0.10", null, true, true, 0, 4,
                List.of(new BenefitRow("EMPLOYEE", "CHRONIC", "10.00", "0.70", null),
                        new BenefitRow("EMPLOYEE", "CHRONIC", "0", "1.70", null)),
                List.of(new ChronicCapRow("I10", "x")));
        assertThat(fields(ImportValidator.policies(List.of(bad)))).containsExactlyInAnyOrder("[0].regionCode", "[0].effectiveFrom",
                "[0].maxDaysSupplyChronic", "[0].refillThreshold", "[0].accountCoversOutOfScope", "[0].maxRxItems",
                "[0].benefits[0].deductible", "[0].benefits[1].ratio", "[0].benefits[1].benefit", "[0].chronicCaps[0].cap");
    }

    @Test
    void clm06_aGoodPrescriptionRowIsTyped_validDaysDefaultsToTheIssueDay() {
        var v = ImportValidator.prescriptions(List.of(new PrescriptionRow("RX1", "H1", "D1", "P1", "2026-11-23T09:40:00+08:00",
                null, List.of(new PrescriptionItemRow("XC08", "2"), new PrescriptionItemRow("XA10", "0.5")))));
        assertThat(v.ok()).isTrue();
        var e = v.rows().get(0);
        assertThat(e.validDays()).isEqualTo(1);
        assertThat(e.issuedAt()).isEqualTo(OffsetDateTime.parse("2026-11-23T01:40:00Z"));
        assertThat(e.items()).containsOnlyKeys("XC08", "XA10");
        assertThat(e.items().get("XA10")).isEqualByComparingTo("0.5");
    }

    @Test
    void clm06_everyBadPrescriptionRowAndFieldIsNamed() {
        var v = ImportValidator.prescriptions(List.of(
                new PrescriptionRow("RX1", "H1", "D1", "P1", "2026-11-23T09:40:00+08:00", 1, List.of(new PrescriptionItemRow("X", "1"))),
                new PrescriptionRow(null, " ", null, "P1", "2026-11-23 09:40", 0, List.of()),
                new PrescriptionRow("RX1", "H1", "D1", null, null, 3, java.util.Arrays.asList(
                        new PrescriptionItemRow("X", "0"), new PrescriptionItemRow("X", "1"), null,
                        new PrescriptionItemRow("", "-2"), new PrescriptionItemRow("Y", "1.23456")))));
        assertThat(v.ok()).isFalse();
        assertThat(v.rows()).isEmpty();
        assertThat(fields(v)).containsExactlyInAnyOrder(
                "[1].rxNo", "[1].institutionCode", "[1].physicianCode", "[1].issuedAt", "[1].validDays", "[1].items",
                "[2].patientPsnNo", "[2].issuedAt", "[2].items[0].quantity", "[2].items[1].itemCode", "[2].items[2]",
                "[2].items[3].itemCode", "[2].items[3].quantity", "[2].items[4].quantity", "[2].rxNo");
    }

    @Test
    void aMissingBodyIsNamed() {
        assertThat(fields(ImportValidator.catalogue(null))).containsExactly("$");
    }
}
