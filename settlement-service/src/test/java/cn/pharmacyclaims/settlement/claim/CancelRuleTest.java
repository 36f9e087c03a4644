package cn.pharmacyclaims.settlement.claim;

import org.junit.jupiter.api.Test;

import java.time.LocalDate;

import static org.assertj.core.api.Assertions.assertThat;

class CancelRuleTest {
    private static final LocalDate SALE = LocalDate.of(2026, 11, 23);

    @Test
    void allowedOnTheSaleDateWhenNotDeclared_CLM14() {
        assertThat(CancelRule.refusal(SALE, false, SALE)).isEmpty();
    }

    @Test
    void refusedOnAnyOtherDay_CLM14() {
        assertThat(CancelRule.refusal(SALE, false, SALE.plusDays(1))).get().asString().contains("2026-11-23");
        assertThat(CancelRule.refusal(SALE, false, SALE.minusDays(1))).isPresent();
    }

    @Test
    void refusedOnceDeclared_CLM14_SET01() {
        assertThat(CancelRule.refusal(SALE, true, SALE)).get().asString().contains("declared");
    }
}
