package cn.pharmacyclaims.audit.cases;

import cn.pharmacyclaims.common.events.ViolationAlert.BehaviourType;
import cn.pharmacyclaims.platform.web.Problem;
import cn.pharmacyclaims.platform.web.ProblemException;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** Validation of the case bodies (AUD-20), ID-card numbers refused in free text (AUD-23), alert checks. */
class CaseRequestsTest {

    private static List<String> fields(Runnable r) {
        ProblemException e = catchThrowableOfType(ProblemException.class, r::run);
        assertThat(e).as("a problem").isNotNull();
        return e.problem().errors().stream().map(Problem.FieldError::field).toList();
    }

    @Test
    void aud20_opening_namesEveryBadField() {
        String a = UUID.randomUUID().toString();
        assertThat(fields(() -> CaseRequests.opening(new CaseRequests.OpenCase(Arrays.asList("nope", a, a, null), " ", null))))
                .containsExactly("alertIds[0]", "alertIds[2]", "alertIds[3]", "title");
        assertThat(fields(() -> CaseRequests.opening(new CaseRequests.OpenCase(List.of(), "t", "x".repeat(4001)))))
                .containsExactly("alertIds", "note");
        assertThat(fields(() -> CaseRequests.opening(null))).containsExactly("$");
        CaseRequests.Opening ok = CaseRequests.opening(new CaseRequests.OpenCase(List.of(a), "  off-hours swipes  ", null));
        assertThat(ok.alertIds()).containsExactly(UUID.fromString(a));
        assertThat(ok.title()).isEqualTo("off-hours swipes");
    }

    @Test
    void aud20_confirm_needsAmountAndCategory_amountsHaveTwoDecimals() {
        assertThat(fields(() -> CaseRequests.closing(new CaseRequests.CloseCase("CONFIRMED", null, null, null, null))))
                .containsExactly("violatingAmount", "category");
        assertThat(fields(() -> CaseRequests.closing(new CaseRequests.CloseCase("CONFIRMED", new BigDecimal("1.005"), "SHOPLIFTING",
                new BigDecimal("-1"), null)))).containsExactly("violatingAmount", "category", "penaltyAmount");
        assertThat(fields(() -> CaseRequests.closing(new CaseRequests.CloseCase("CONFIRMED", BigDecimal.ZERO, "CASH_OUT", null, null))))
                .containsExactly("violatingAmount");
        CaseRequests.Confirm c = (CaseRequests.Confirm) CaseRequests.closing(new CaseRequests.CloseCase("confirmed",
                new BigDecimal("120.5"), "cash_out", new BigDecimal("0"), "three round totals"));
        assertThat(c.violatingAmount()).isEqualByComparingTo("120.50").hasToString("120.50");
        assertThat(c.category()).isEqualTo(BehaviourType.CASH_OUT);
        assertThat(c.penaltyAmount()).hasToString("0.00");
    }

    @Test
    void aud20_dismiss_needsAReason_andCarriesNoAmounts() {
        assertThat(fields(() -> CaseRequests.closing(new CaseRequests.CloseCase("DISMISSED", BigDecimal.TEN, "CASH_OUT", BigDecimal.ONE,
                null)))).containsExactly("reason", "violatingAmount", "penaltyAmount", "category");
        assertThat(fields(() -> CaseRequests.closing(new CaseRequests.CloseCase("REOPENED", null, null, null, "x"))))
                .containsExactly("outcome");
        assertThat(CaseRequests.closing(new CaseRequests.CloseCase("DISMISSED", null, null, null, "hours were updated late")))
                .isEqualTo(new CaseRequests.Dismiss("hours were updated late"));
    }

    @Test
    void aud23_idCardNumbersInFreeText_areRefused_psnNoIsFine() {
        assertThat(PersonalData.containsIdCardNumber("buyer 44010219900101123X at the counter")).isTrue();
        assertThat(PersonalData.containsIdCardNumber("id:440102199001011234.")).isTrue();
        assertThat(PersonalData.containsIdCardNumber("person 44010000000000123456 bought twice")).isFalse(); // a 20-digit psnNo
        assertThat(PersonalData.containsIdCardNumber("msg P44010500001202611231015000001")).isFalse();
        assertThat(PersonalData.containsIdCardNumber("amount 440102.99")).isFalse();
        assertThat(fields(() -> CaseRequests.note(new CaseRequests.AddNote("seen 440102199001011234", "photo of 440102199001011234"))))
                .containsExactly("note", "evidence");
        assertThat(fields(() -> CaseRequests.closing(new CaseRequests.CloseCase("DISMISSED", null, null, null,
                "the real buyer was 440102199001011234")))).containsExactly("reason");
    }

    @Test
    void aud20_alerts_mustExist_andBeAboutOnePharmacy() {
        UUID a = UUID.randomUUID();
        UUID b = UUID.randomUUID();
        UUID c = UUID.randomUUID();
        Map<UUID, CaseStore.AlertOwner> found = Map.of(a, new CaseStore.AlertOwner(a, "P1", "440105"),
                b, new CaseStore.AlertOwner(b, "P2", "440105"), c, new CaseStore.AlertOwner(c, "P1", "440105"));
        ProblemException unknown = catchThrowableOfType(ProblemException.class,
                () -> CaseService.onePharmacy(List.of(a, UUID.randomUUID()), found));
        assertThat(unknown.problem().code()).isEqualTo("UNKNOWN_ALERT");
        assertThat(unknown.problem().errors()).extracting(Problem.FieldError::field).containsExactly("alertIds[1]");
        ProblemException two = catchThrowableOfType(ProblemException.class, () -> CaseService.onePharmacy(List.of(a, b, c), found));
        assertThat(two.problem().status()).isEqualTo(400);
        assertThat(two.problem().code()).isEqualTo("ALERTS_OF_SEVERAL_PHARMACIES");
        assertThat(two.problem().errors()).extracting(Problem.FieldError::field)
                .containsExactlyInAnyOrder("alertIds[0]", "alertIds[1]", "alertIds[2]");
        assertThat(CaseService.onePharmacy(List.of(a, c), found)).isEqualTo("P1");
    }

    @Test
    void aud20_alertInAnOpenCase_is409_inAConfirmedCaseToo() {
        UUID a = UUID.randomUUID();
        UUID b = UUID.randomUUID();
        ProblemException open = catchThrowableOfType(ProblemException.class, () -> CaseService.refuseClaimed(List.of(a, b),
                List.of(new CaseStore.Claim(b, "C-2", CaseStatus.CONFIRMED), new CaseStore.Claim(a, "C-1", CaseStatus.OPEN))));
        assertThat(open.problem().status()).isEqualTo(409);
        assertThat(open.problem().code()).isEqualTo("ALERT_IN_OPEN_CASE");
        assertThat(open.problem().detail()).contains("C-1");
        assertThat(open.problem().errors()).extracting(Problem.FieldError::field).containsExactly("alertIds[1]", "alertIds[0]");
        ProblemException confirmed = catchThrowableOfType(ProblemException.class, () -> CaseService.refuseClaimed(List.of(a),
                List.of(new CaseStore.Claim(a, "C-2", CaseStatus.CONFIRMED))));
        assertThat(confirmed.problem().code()).isEqualTo("ALERT_IN_CONFIRMED_CASE");
        CaseService.refuseClaimed(List.of(a), List.of());
    }
}
