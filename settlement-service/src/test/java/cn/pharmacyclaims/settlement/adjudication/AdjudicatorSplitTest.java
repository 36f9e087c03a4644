package cn.pharmacyclaims.settlement.adjudication;

import cn.pharmacyclaims.common.events.SettlementResult.Benefit;
import cn.pharmacyclaims.settlement.adjudication.Snapshots.BenefitKind;
import cn.pharmacyclaims.settlement.adjudication.Snapshots.CatalogueItem;
import cn.pharmacyclaims.settlement.adjudication.Snapshots.InsuranceType;
import cn.pharmacyclaims.settlement.adjudication.Snapshots.ItemClass;
import org.junit.jupiter.api.Test;

import java.time.LocalDate;
import java.util.Map;

import static cn.pharmacyclaims.settlement.adjudication.TestData.DIABETES;
import static cn.pharmacyclaims.settlement.adjudication.TestData.HYPERTENSION;
import static cn.pharmacyclaims.settlement.adjudication.TestData.item;
import static cn.pharmacyclaims.settlement.adjudication.TestData.lineResult;
import static cn.pharmacyclaims.settlement.adjudication.TestData.m;
import static cn.pharmacyclaims.settlement.adjudication.TestData.otc;
import static cn.pharmacyclaims.settlement.adjudication.TestData.purchase;
import static cn.pharmacyclaims.settlement.adjudication.TestData.rxItem;
import static cn.pharmacyclaims.settlement.adjudication.TestData.totals;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** CLM-10 and CLM-11: exact figures of accepted purchases, computed by hand in the comments. */
class AdjudicatorSplitTest {

    static final CatalogueItem OTC_1 = otc("XN02BEP0001");
    static final CatalogueItem OTC_2 = otc("XN02BEI0001");

    @Test
    void clm11_posApiExample_employeeAccountPaysAll() {
        // POS-API.md §1: 2 × 12.3400 = 24.68; paper prescription -> no pooling, no chronic
        // registration -> benefit NONE; the account pays 24.68 of 1000.00 -> 975.32 left.
        Adjudication.Accepted a = purchase().paperRx()
                .line(item("XC08CAA0450101", ItemClass.A, true, "30.00", HYPERTENSION), "2", "12.3400")
                .accepted();
        assertThat(a.lines()).containsExactly(
                lineResult(1, "24.68", "0.00", "0.00", "0.00", "24.68", "0.00", Benefit.NONE, "24.68", "0.00"));
        assertThat(a.totals()).isEqualTo(totals("24.68", "0.00", "0.00", "0.00", "0.00", "24.68", "0.00"));
        assertThat(a.accountBalanceAfter()).isEqualTo(m("975.32"));
        assertThat(a.delta()).isEqualTo(new Adjudication.AccumulatorDelta(m("0.00"), m("0.00"), Map.of(), m("24.68")));
    }

    @Test
    void clm10_lineAmountRoundsHalfUpAtHalfACent() {
        // 3 × 0.3350 = 1.0050 -> 1.01 (half-even would give 1.00); 1 × 1.0049 -> 1.00.
        Adjudication.Accepted a = purchase().line(OTC_1, "3", "0.3350").line(OTC_2, "1", "1.0049").accepted();
        assertThat(a.lines()).containsExactly(
                lineResult(1, "1.01", "0.00", "0.00", "0.00", "1.01", "0.00", Benefit.NONE, "1.01", "0.00"),
                lineResult(2, "1.00", "0.00", "0.00", "0.00", "1.00", "0.00", Benefit.NONE, "1.00", "0.00"));
        assertThat(a.totals().total()).isEqualTo(m("2.01"));
    }

    @Test
    void clm11_overLimitAndSelfPayFirstRoundHalfUpAtHalfACent() {
        // Line 1 (class B, standard 10.0000, price 10.0050, qty 1): amount round(10.005) = 10.01;
        //   overLimit round(0.0050 × 1) = 0.01; allowed 10.00; selfPayFirst 10% = 1.00; eligible 9.00.
        // Line 2 (class B, no standard, 1 × 10.05): selfPayFirst round(1.005) = 1.01; eligible 9.04.
        // No benefit; the account pays everything: 10.01 + 10.05 = 20.06.
        Adjudication.Accepted a = purchase()
                .line(item("XB0000000001", ItemClass.B, false, "10.0000"), "1", "10.0050")
                .line(item("XB0000000002", ItemClass.B, false, null), "1", "10.05")
                .accepted();
        assertThat(a.lines()).containsExactly(
                lineResult(1, "10.01", "0.01", "0.00", "1.00", "9.00", "0.00", Benefit.NONE, "10.01", "0.00"),
                lineResult(2, "10.05", "0.00", "0.00", "1.01", "9.04", "0.00", Benefit.NONE, "10.05", "0.00"));
        assertThat(a.totals()).isEqualTo(totals("20.06", "0.01", "0.00", "2.01", "0.00", "20.06", "0.00"));
    }

    @Test
    void clm11_fundRoundsHalfUpOnTheGroupTotal() {
        // Resident pooling: deductible 0, ratio 50%, cap 300. Eligible 10.01 × 0.5 = 5.005 -> 5.01.
        // Resident: no account, cash 10.01 − 5.01 = 5.00.
        Adjudication.Accepted a = purchase().resident("0.00").electronicRx()
                .line(rxItem("XRX0000000001"), "1", "10.01").accepted();
        assertThat(a.lines()).containsExactly(
                lineResult(1, "10.01", "0.00", "0.00", "0.00", "10.01", "5.01", Benefit.POOLING, "0.00", "5.00"));
        assertThat(a.delta()).isEqualTo(new Adjudication.AccumulatorDelta(m("0.00"), m("5.01"), Map.of(), m("0.00")));
    }

    @Test
    void clm11_classBWithPaymentStandardBelowPrice_chronicBenefit() {
        // Class B, standard 25.00, 2 × 30.0000 = 60.00; overLimit (30 − 25) × 2 = 10.00; allowed 50.00;
        // selfPayFirst 10% = 5.00; eligible 45.00. Hypertension registration, item covers I10:
        // CHRONIC, 70% = 31.50 (cap 3000, nothing paid). Account: 60.00 − 31.50 = 28.50; cash 0.
        Adjudication.Accepted a = purchase().chronic(HYPERTENSION)
                .line(item("XC08CAA0450101", ItemClass.B, false, "25.00", HYPERTENSION), "2", "30.0000")
                .accepted();
        assertThat(a.lines()).containsExactly(
                lineResult(1, "60.00", "10.00", "0.00", "5.00", "45.00", "31.50", Benefit.CHRONIC, "28.50", "0.00"));
        assertThat(a.totals()).isEqualTo(totals("60.00", "10.00", "0.00", "5.00", "31.50", "28.50", "0.00"));
        assertThat(a.accountBalanceAfter()).isEqualTo(m("971.50"));
        assertThat(a.delta()).isEqualTo(new Adjudication.AccumulatorDelta(m("0.00"), m("0.00"),
                Map.of(HYPERTENSION, m("31.50")), m("28.50")));
    }

    @Test
    void clm11_classC_isOutOfScope_andTheAccountPaysItByDefault() {
        // Class C, 2 × 15.5000 = 31.00, all out of scope, eligible 0; Rx on an electronic
        // prescription -> POOLING, but nothing eligible -> no fund and no deductible consumed.
        // accountCoversOutOfScope (default true): the account pays 31.00.
        Adjudication.Accepted a = purchase().electronicRx()
                .line(item("XC0000000001", ItemClass.C, true, null), "2", "15.5000").accepted();
        assertThat(a.lines()).containsExactly(
                lineResult(1, "31.00", "0.00", "31.00", "0.00", "0.00", "0.00", Benefit.POOLING, "31.00", "0.00"));
        assertThat(a.delta()).isEqualTo(new Adjudication.AccumulatorDelta(m("0.00"), m("0.00"), Map.of(), m("31.00")));
    }

    @Test
    void clm11_5_accountNotCoveringOutOfScope_paysOnlySelfPayFirstAndEligible() {
        // Line 1: class C 31.00 -> payable by account 31.00 − 0 − 0 − 31.00 = 0; cash 31.00.
        // Line 2: class B, standard 25.00, 2 × 30.00 = 60.00; overLimit 10.00; selfPayFirst 5.00;
        //   eligible 45.00; no benefit -> payable 60.00 − 0 − 10.00 − 0 = 50.00; cash 10.00.
        TestData d = purchase()
                .line(item("XC0000000001", ItemClass.C, false, null), "2", "15.5000")
                .line(item("XB0000000001", ItemClass.B, false, "25.00"), "2", "30.00");
        d.accountCoversOutOfScope = false;
        Adjudication.Accepted a = d.accepted();
        assertThat(a.lines()).containsExactly(
                lineResult(1, "31.00", "0.00", "31.00", "0.00", "0.00", "0.00", Benefit.NONE, "0.00", "31.00"),
                lineResult(2, "60.00", "10.00", "0.00", "5.00", "45.00", "0.00", Benefit.NONE, "50.00", "10.00"));
        assertThat(a.totals()).isEqualTo(totals("91.00", "10.00", "31.00", "5.00", "0.00", "50.00", "41.00"));
        assertThat(a.accountBalanceAfter()).isEqualTo(m("950.00"));
    }

    @Test
    void clm11_4_deductibleCrossedInTheMiddleOfAPurchase() {
        // Employee pooling: deductible 200.00 of which 150.00 used -> 50.00 remaining; ratio 50%; cap 2000.
        // Eligible 30.00 + 40.00 + 10.00 = 80.00; fund = (80.00 − 50.00) × 0.5 = 15.00; deductible consumed 50.00.
        // Shares of 1500 cents by 3000:4000:1000: 562.5 / 750 / 187.5 -> floors 562, 750, 187 (1499);
        // the last cent to the largest remainder, tied .5 and .5 -> the earlier line: 5.63, 7.50, 1.87.
        // Account pays the rest: 24.37, 32.50, 8.13 = 65.00; balance 1000.00 -> 935.00.
        TestData d = purchase().electronicRx()
                .line(rxItem("XRX0000000001"), "1", "30.00")
                .line(rxItem("XRX0000000002"), "2", "20.00")
                .line(rxItem("XRX0000000003"), "1", "10.00");
        d.poolingDeductibleUsed = m("150.00");
        Adjudication.Accepted a = d.accepted();
        assertThat(a.lines()).containsExactly(
                lineResult(1, "30.00", "0.00", "0.00", "0.00", "30.00", "5.63", Benefit.POOLING, "24.37", "0.00"),
                lineResult(2, "40.00", "0.00", "0.00", "0.00", "40.00", "7.50", Benefit.POOLING, "32.50", "0.00"),
                lineResult(3, "10.00", "0.00", "0.00", "0.00", "10.00", "1.87", Benefit.POOLING, "8.13", "0.00"));
        assertThat(a.totals()).isEqualTo(totals("80.00", "0.00", "0.00", "0.00", "15.00", "65.00", "0.00"));
        assertThat(a.accountBalanceAfter()).isEqualTo(m("935.00"));
        assertThat(a.delta()).isEqualTo(new Adjudication.AccumulatorDelta(m("50.00"), m("15.00"), Map.of(), m("65.00")));
    }

    @Test
    void clm11_4_deductibleNotReached_consumesEligibleAndPaysNothing() {
        // Remaining deductible 200.00 > eligible 24.68: fund 0, deductible consumed 24.68.
        Adjudication.Accepted a = purchase().electronicRx().line(rxItem("XRX0000000001"), "2", "12.3400").accepted();
        assertThat(a.lines().get(0).fundPay()).isEqualTo(m("0.00"));
        assertThat(a.delta()).isEqualTo(new Adjudication.AccumulatorDelta(m("24.68"), m("0.00"), Map.of(), m("24.68")));
    }

    @Test
    void clm12_noAccumulatorsYet_meansNothingUsedThisYear() {
        // First purchase of the year: full deductible 200.00; eligible 250.00 -> fund (250 − 200) × 0.5 = 25.00.
        TestData d = purchase().electronicRx().line(rxItem("XRX0000000001"), "1", "250.00");
        d.accumulatorsKnown = false;
        Adjudication.Accepted a = d.accepted();
        assertThat(a.delta()).isEqualTo(new Adjudication.AccumulatorDelta(m("200.00"), m("25.00"), Map.of(), m("225.00")));
    }

    @Test
    void clm12_accumulatorsOfAnotherYear_areACallerError() {
        TestData d = purchase().electronicRx().line(rxItem("XRX0000000001"), "1", "250.00");
        d.accumulatorYear = 2025;
        assertThatThrownBy(d::adjudicate).isInstanceOf(IllegalStateException.class).hasMessageContaining("2025");
    }

    @Test
    void clm11_4_capNearlyExhausted() {
        // Resident pooling: cap 300.00, 295.50 paid -> 4.50 left; deductible 0; ratio 50%.
        // Line 1: class A 20.00 eligible. Line 2: class B 10.00 -> selfPayFirst 1.00, eligible 9.00.
        // Group eligible 29.00 × 0.5 = 14.50 -> capped at 4.50.
        // Shares of 450 cents by 2000:900: 310.34 / 139.66 -> floors 310, 139; the cent to line 2: 3.10, 1.40.
        // Resident: no account; cash 16.90 and 8.60.
        TestData d = purchase().resident("0.00").electronicRx()
                .line(rxItem("XRX0000000001"), "1", "20.00")
                .line(item("XRX0000000002", ItemClass.B, true, null), "1", "10.00");
        d.poolingFundPaid = m("295.50");
        Adjudication.Accepted a = d.accepted();
        assertThat(a.lines()).containsExactly(
                lineResult(1, "20.00", "0.00", "0.00", "0.00", "20.00", "3.10", Benefit.POOLING, "0.00", "16.90"),
                lineResult(2, "10.00", "0.00", "0.00", "1.00", "9.00", "1.40", Benefit.POOLING, "0.00", "8.60"));
        assertThat(a.totals()).isEqualTo(totals("30.00", "0.00", "0.00", "1.00", "4.50", "0.00", "25.50"));
        assertThat(a.delta()).isEqualTo(new Adjudication.AccumulatorDelta(m("0.00"), m("4.50"), Map.of(), m("0.00")));
    }

    @Test
    void clm11_4_capFullyExhausted_orOverrun_paysNothing() {
        for (String paid : new String[] {"300.00", "310.00"}) {
            TestData d = purchase().resident("0.00").electronicRx().line(rxItem("XRX0000000001"), "1", "20.00");
            d.poolingFundPaid = m(paid);
            Adjudication.Accepted a = d.accepted();
            assertThat(a.lines()).containsExactly(
                    lineResult(1, "20.00", "0.00", "0.00", "0.00", "20.00", "0.00", Benefit.POOLING, "0.00", "20.00"));
            assertThat(a.delta().poolingFundPaid()).isEqualTo(m("0.00"));
        }
    }

    @Test
    void clm11_4_twoChronicDiseasesInOnePurchase_eachWithItsOwnCap() {
        // Registrations for hypertension (I10) and diabetes (E11); diagnosis E11.
        // Line 1: amlodipine (I10) 30.00. I10 group: 30.00 × 70% = 21.00, cap 3000 with 2990.00 paid -> 10.00.
        // Line 2: metformin (E11) 2 × 25.00 = 50.00.
        // Line 3: class B item covering I10 and E11, 20.00 -> selfPayFirst 2.00, eligible 18.00; both
        //   registrations cover it, the prescription's diagnosis E11 wins.
        // E11 group: (50.00 + 18.00) × 70% = 47.60 (cap 5000): shares 4760 × 5000/6800 = 3500, × 1800/6800 = 1260.
        // Account: 20.00, 15.00, 7.40 = 42.40; cash 0. Pooling is not used although the items are Rx
        // on an electronic prescription: chronic comes first.
        TestData d = purchase().chronic(HYPERTENSION).chronic(DIABETES)
                .prescription(true, "2026-11-23T09:40:00+08:00", 1, DIABETES)
                .line(rxItem("XC08CAA0450101", HYPERTENSION), "1", "30.00")
                .line(rxItem("XA10BAM0001", DIABETES), "2", "25.00")
                .line(item("XB01AC00001", ItemClass.B, true, null, HYPERTENSION, DIABETES), "1", "20.00");
        d.chronicFundPaid.put(HYPERTENSION, m("2990.00"));
        Adjudication.Accepted a = d.accepted();
        assertThat(a.lines()).containsExactly(
                lineResult(1, "30.00", "0.00", "0.00", "0.00", "30.00", "10.00", Benefit.CHRONIC, "20.00", "0.00"),
                lineResult(2, "50.00", "0.00", "0.00", "0.00", "50.00", "35.00", Benefit.CHRONIC, "15.00", "0.00"),
                lineResult(3, "20.00", "0.00", "0.00", "2.00", "18.00", "12.60", Benefit.CHRONIC, "7.40", "0.00"));
        assertThat(a.totals()).isEqualTo(totals("100.00", "0.00", "0.00", "2.00", "57.60", "42.40", "0.00"));
        assertThat(a.delta()).isEqualTo(new Adjudication.AccumulatorDelta(m("0.00"), m("0.00"),
                Map.of(HYPERTENSION, m("10.00"), DIABETES, m("47.60")), m("42.40")));
    }

    @Test
    void clm11_4_itemCoveringTwoRegisteredDiseases_goesToTheDiagnosis_elseToTheFirstCode() {
        CatalogueItem both = item("XB01AC00001", ItemClass.A, true, null, HYPERTENSION, DIABETES);
        // Diagnosis I10: the I10 group pays 10.00 × 70% = 7.00.
        TestData d = purchase().chronic(HYPERTENSION).chronic(DIABETES)
                .prescription(true, "2026-11-23T09:40:00+08:00", 1, HYPERTENSION).line(both, "1", "10.00");
        assertThat(d.accepted().delta().chronicFundPaid()).isEqualTo(Map.of(HYPERTENSION, m("7.00")));
        // No diagnosis: the first code, "E11" < "I10".
        d.withRx(rx -> rx.diagnosisCode = null);
        assertThat(d.accepted().delta().chronicFundPaid()).isEqualTo(Map.of(DIABETES, m("7.00")));
        // A diagnosis that is not one of the covering registrations does not count either.
        d.withRx(rx -> rx.diagnosisCode = "J44");
        assertThat(d.accepted().delta().chronicFundPaid()).isEqualTo(Map.of(DIABETES, m("7.00")));
    }

    @Test
    void clm11_4_chronicRegistrationNotValidOnSaleDate_fallsBackToPooling() {
        // Registration ended yesterday: no chronic benefit; Rx on an electronic prescription -> POOLING.
        TestData d = purchase().chronic(HYPERTENSION, LocalDate.of(2026, 1, 1), LocalDate.of(2026, 11, 22))
                .electronicRx().line(rxItem("XC08CAA0450101", HYPERTENSION), "1", "30.00");
        assertThat(d.accepted().lines().get(0).benefit()).isEqualTo(Benefit.POOLING);
    }

    @Test
    void clm11_4_poolingNeedsTheRegionSwitch_anRxItem_andAnElectronicPrescription() {
        CatalogueItem rx = rxItem("XRX0000000001");
        assertThat(purchase().paperRx().line(rx, "1", "10.00").accepted().lines().get(0).benefit()).isEqualTo(Benefit.NONE);
        assertThat(purchase().electronicRx().line(otc("XN0000000001"), "1", "10.00").accepted().lines().get(0).benefit())
                .isEqualTo(Benefit.NONE);
        TestData off = purchase().electronicRx().line(rx, "1", "10.00");
        off.outpatientPoolingAtPharmacy = false;
        assertThat(off.accepted().lines().get(0).benefit()).isEqualTo(Benefit.NONE);
    }

    @Test
    void clm11_4_missingRuleOrCap_paysNoFund() {
        // No chronic cap configured for COPD (J44): CHRONIC benefit, fund 0.
        TestData noCap = purchase().chronic(TestData.COPD).line(rxItem("XR03AK00001", TestData.COPD), "1", "100.00");
        noCap.chronicCaps.remove(TestData.COPD);
        noCap.paperRx();
        Adjudication.Accepted a = noCap.accepted();
        assertThat(a.lines().get(0).benefit()).isEqualTo(Benefit.CHRONIC);
        assertThat(a.totals().fundPay()).isEqualTo(m("0.00"));
        assertThat(a.delta().chronicFundPaid()).isEqualTo(Map.of(TestData.COPD, m("0.00")));

        // No pooling rule for residents: POOLING benefit, fund 0, no deductible consumed.
        TestData noRule = purchase().resident("0.00").electronicRx().line(rxItem("XRX0000000001"), "1", "100.00");
        noRule.benefits.removeIf(b -> b.insuranceType() == InsuranceType.RESIDENT && b.benefit() == BenefitKind.POOLING);
        assertThat(noRule.accepted().delta()).isEqualTo(new Adjudication.AccumulatorDelta(m("0.00"), m("0.00"), Map.of(), m("0.00")));

        // Pooling rule without a cap: no fund either.
        TestData ruleNoCap = purchase().resident("0.00").electronicRx().line(rxItem("XRX0000000001"), "1", "100.00")
                .benefit(InsuranceType.RESIDENT, BenefitKind.POOLING, "0", "0.50", null);
        assertThat(ruleNoCap.accepted().totals().fundPay()).isEqualTo(m("0.00"));
    }

    @Test
    void clm11_4_chronicDeductibleAboveZero_cannotBeHonoured() {
        TestData d = purchase().chronic(HYPERTENSION).paperRx().line(rxItem("XC08CAA0450101", HYPERTENSION), "1", "30.00")
                .benefit(InsuranceType.EMPLOYEE, BenefitKind.CHRONIC, "100.00", "0.70", null);
        assertThatThrownBy(d::adjudicate).isInstanceOf(IllegalStateException.class).hasMessageContaining("chronic deductible");
    }

    @Test
    void clm11_5_balanceSmallerThanTheShare_accountPaysInLineOrderUntilEmpty() {
        // Balance 25.00. Line 1: 20.00 -> account 20.00 (5.00 left). Line 2: 15.00 -> account 5.00, cash 10.00.
        Adjudication.Accepted a = purchase().balance("25.00").line(OTC_1, "1", "20.00").line(OTC_2, "1", "15.00").accepted();
        assertThat(a.lines()).containsExactly(
                lineResult(1, "20.00", "0.00", "0.00", "0.00", "20.00", "0.00", Benefit.NONE, "20.00", "0.00"),
                lineResult(2, "15.00", "0.00", "0.00", "0.00", "15.00", "0.00", Benefit.NONE, "5.00", "10.00"));
        assertThat(a.totals()).isEqualTo(totals("35.00", "0.00", "0.00", "0.00", "0.00", "25.00", "10.00"));
        assertThat(a.accountBalanceAfter()).isEqualTo(m("0.00"));
        assertThat(a.delta().accountPaid()).isEqualTo(m("25.00"));
    }

    @Test
    void clm11_5_negativeBalance_paysNothingAndStaysAsItIs() {
        Adjudication.Accepted a = purchase().balance("-5.00").line(OTC_1, "1", "20.00").accepted();
        assertThat(a.totals().accountPay()).isEqualTo(m("0.00"));
        assertThat(a.totals().cashPay()).isEqualTo(m("20.00"));
        assertThat(a.accountBalanceAfter()).isEqualTo(m("-5.00"));
    }

    @Test
    void clm11_5_resident_hasNoAccount_balanceUnchanged() {
        // Resident with useAccount true (ignored) and a stray balance of 50.00: all cash, balance stays 50.00.
        Adjudication.Accepted a = purchase().resident("50.00").line(OTC_1, "1", "12.34").accepted();
        assertThat(a.lines()).containsExactly(
                lineResult(1, "12.34", "0.00", "0.00", "0.00", "12.34", "0.00", Benefit.NONE, "0.00", "12.34"));
        assertThat(a.accountBalanceAfter()).isEqualTo(m("50.00"));
        assertThat(a.delta().accountPaid()).isEqualTo(m("0.00"));
    }

    @Test
    void clm11_5_useAccountFalseOrAbsent_allCash() {
        for (Boolean useAccount : new Boolean[] {Boolean.FALSE, null}) {
            TestData d = purchase().line(OTC_1, "2", "12.3400");
            d.useAccount = useAccount;
            Adjudication.Accepted a = d.accepted();
            assertThat(a.totals()).isEqualTo(totals("24.68", "0.00", "0.00", "0.00", "0.00", "0.00", "24.68"));
            assertThat(a.accountBalanceAfter()).isEqualTo(m("1000.00"));
        }
    }

    @Test
    void clm11_5_accountPaysWhatTheFundLeaves() {
        // Chronic 70% of 100.00 = 70.00; account pays 30.00 of a 1000.00 balance.
        Adjudication.Accepted a = purchase().chronic(HYPERTENSION).paperRx()
                .line(rxItem("XC08CAA0450101", HYPERTENSION), "4", "25.00").accepted();
        assertThat(a.lines()).containsExactly(
                lineResult(1, "100.00", "0.00", "0.00", "0.00", "100.00", "70.00", Benefit.CHRONIC, "30.00", "0.00"));
        assertThat(a.accountBalanceAfter()).isEqualTo(m("970.00"));
    }

    @Test
    void clm11_residentChronic_sixtyPercent() {
        // Resident chronic ratio 60%: 2 × 12.50 = 25.00 -> 15.00 fund, 10.00 cash.
        Adjudication.Accepted a = purchase().resident("0.00").chronic(DIABETES).paperRx()
                .line(rxItem("XA10BAM0001", DIABETES), "2", "12.50").accepted();
        assertThat(a.lines()).containsExactly(
                lineResult(1, "25.00", "0.00", "0.00", "0.00", "25.00", "15.00", Benefit.CHRONIC, "0.00", "10.00"));
    }
}
