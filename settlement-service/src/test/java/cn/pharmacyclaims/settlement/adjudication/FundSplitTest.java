package cn.pharmacyclaims.settlement.adjudication;

import org.junit.jupiter.api.Test;

import static cn.pharmacyclaims.settlement.adjudication.TestData.m;
import static org.assertj.core.api.Assertions.assertThat;

/** CLM-11.4: one benefit group's fund and deductible consumption. */
class FundSplitTest {

    @Test
    void clm11_4_deductibleThenRatioThenCap() {
        // eligible 500.00, deductible 200.00 with 50.00 used -> 150.00 remaining; (500 − 150) × 0.5 = 175.00;
        // cap 2000.00 with 1900.00 paid -> 100.00 left -> fund 100.00; deductible consumed 150.00.
        assertThat(FundSplit.group(m("500.00"), m("200.00"), m("50.00"), m("0.50"), m("2000.00"), m("1900.00")))
                .isEqualTo(new FundSplit.GroupFund(m("100.00"), m("150.00")));
    }

    @Test
    void clm11_4_deductibleAlreadyOverused_countsAsNoneLeft() {
        // used 250.00 of 200.00 -> 0 remaining: 40.00 × 0.5 = 20.00, nothing consumed.
        assertThat(FundSplit.group(m("40.00"), m("200.00"), m("250.00"), m("0.50"), m("2000.00"), m("0.00")))
                .isEqualTo(new FundSplit.GroupFund(m("20.00"), m("0.00")));
    }

    @Test
    void clm11_4_eligibleBelowDeductible_consumesItAll_paysNothing() {
        assertThat(FundSplit.group(m("40.00"), m("200.00"), m("0.00"), m("0.50"), m("2000.00"), m("0.00")))
                .isEqualTo(new FundSplit.GroupFund(m("0.00"), m("40.00")));
    }

    @Test
    void clm11_4_ratioRoundsHalfUpOnTheGroup() {
        // 0.15 × 0.70 = 0.105 -> 0.11; 33.33 × 0.333 = 11.09889 -> 11.10.
        assertThat(FundSplit.group(m("0.15"), m("0"), null, m("0.70"), m("3000"), null).fund()).isEqualTo(m("0.11"));
        assertThat(FundSplit.group(m("33.33"), m("0"), null, m("0.333"), m("3000"), null).fund()).isEqualTo(m("11.10"));
    }

    @Test
    void clm11_4_capPaidBeyond_paysNothingNotNegative() {
        assertThat(FundSplit.group(m("100.00"), m("0"), null, m("0.50"), m("300.00"), m("350.00")))
                .isEqualTo(new FundSplit.GroupFund(m("0.00"), m("0.00")));
    }

    @Test
    void clm11_4_missingRatioOrCap_meansNoBenefit() {
        assertThat(FundSplit.group(m("100.00"), m("10.00"), null, null, m("300.00"), null)).isEqualTo(FundSplit.GroupFund.NONE);
        assertThat(FundSplit.group(m("100.00"), m("10.00"), null, m("0.50"), null, null)).isEqualTo(FundSplit.GroupFund.NONE);
    }
}
