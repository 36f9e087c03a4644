package cn.pharmacyclaims.agreement.pharmacy;

import cn.pharmacyclaims.agreement.lifecycle.AgreementType;
import cn.pharmacyclaims.common.events.PharmacyStatus;
import cn.pharmacyclaims.platform.web.Problem.FieldError;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.LocalDate;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ImportValidatorTest {

    static PharmacyImportRow good(String code) {
        return new PharmacyImportRow(code, "Kang Jian", "440105", "1 Road", 23.10, 113.30, "08:00-22:00",
                new PharmacyImportRow.AgreementRow("ACTIVE", "2026-01-01", "2026-12-31", "GENERAL"));
    }

    static List<String> fields(ImportValidator.Result r) {
        return r.errors().stream().map(FieldError::field).toList();
    }

    @Test
    void aGoodRowIsTyped() {
        ImportValidator.Result r = ImportValidator.validate(List.of(good("P44010500001")));
        assertThat(r.ok()).isTrue();
        ImportValidator.ValidRow row = r.rows().get(0);
        assertThat(row.status()).isEqualTo(PharmacyStatus.ACTIVE);
        assertThat(row.type()).isEqualTo(AgreementType.GENERAL);
        assertThat(row.validFrom()).isEqualTo(LocalDate.of(2026, 1, 1));
        assertThat(row.pharmacy().businessHours()).isEqualTo("08:00-22:00");
    }

    @Test
    void everyBadFieldOfEveryRowIsNamed() {
        PharmacyImportRow bad = new PharmacyImportRow("X123", " ", "44010", null, 91.0, -181.0, "8:00-22:00",
                new PharmacyImportRow.AgreementRow("EXPIRED", "2026-13-01", "2026-12-31", "PREMIUM"));
        PharmacyImportRow reversed = new PharmacyImportRow("P44010500002", "n", "440105", "a", 0.0, 0.0, "00:00-24:00",
                new PharmacyImportRow.AgreementRow("SUSPENDED", "2026-12-31", "2026-01-01", "SPECIAL_DRUG"));
        PharmacyImportRow noAgreement = new PharmacyImportRow("P44010500003", "n", "440105", "a", 0.0, 0.0, "08:00-22:00", null);
        ImportValidator.Result r = ImportValidator.validate(Arrays.asList(good("P44010500001"), bad, reversed, noAgreement, null));
        assertThat(r.ok()).isFalse();
        assertThat(fields(r)).containsExactly(
                "[1].code", "[1].name", "[1].regionCode", "[1].address", "[1].lat", "[1].lon", "[1].businessHours",
                "[1].agreement.status", "[1].agreement.type", "[1].agreement.validFrom",
                "[2].agreement.validTo",
                "[3].agreement",
                "[4]");
        assertThat(r.rows()).extracting(ImportValidator.ValidRow::index).containsExactly(0);
    }

    @Test
    void duplicatesInsideOneCallAreErrors() {
        ImportValidator.Result r = ImportValidator.validate(List.of(good("P44010500001"), good("P44010500002"), good("P44010500001")));
        assertThat(r.errors()).singleElement().satisfies(e -> {
            assertThat(e.field()).isEqualTo("[2].code");
            assertThat(e.message()).contains("[0]");
        });
    }

    @Test
    void missingFieldsAreRequired() {
        PharmacyImportRow empty = new PharmacyImportRow(null, null, null, null, null, null, null,
                new PharmacyImportRow.AgreementRow(null, null, null, null));
        assertThat(fields(ImportValidator.validate(List.of(empty)))).containsExactly("[0].code", "[0].name", "[0].regionCode",
                "[0].address", "[0].lat", "[0].lon", "[0].businessHours", "[0].agreement.status", "[0].agreement.type",
                "[0].agreement.validFrom", "[0].agreement.validTo");
    }

    @Test
    void aNullBodyIsAnError() {
        assertThat(fields(ImportValidator.validate(null))).containsExactly("$");
    }

    @ParameterizedTest
    @ValueSource(strings = {"00:00-24:00", "08:00-22:00", "00:00-00:01", "23:00-23:59", "07:30-24:00"})
    void validBusinessHours(String hours) {
        assertThat(BusinessHours.problem(hours)).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "8:00-22:00", "08:00-22:00 ", "24:00-24:00", "08:60-22:00", "22:00-08:00", "08:00-08:00",
            "08:00-24:01", "25:00-26:00", "08:00~22:00", "all day"})
    void invalidBusinessHours(String hours) {
        assertThat(BusinessHours.problem(hours)).isNotNull();
    }
}
