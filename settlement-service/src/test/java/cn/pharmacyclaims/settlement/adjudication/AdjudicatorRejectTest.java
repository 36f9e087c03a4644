package cn.pharmacyclaims.settlement.adjudication;

import cn.pharmacyclaims.common.events.PharmacyStatus;
import cn.pharmacyclaims.common.events.RejectCode;
import cn.pharmacyclaims.common.events.SettlementRequest;
import cn.pharmacyclaims.common.events.SettlementResult.Reject;
import cn.pharmacyclaims.settlement.adjudication.Snapshots.CatalogueItem;
import cn.pharmacyclaims.settlement.adjudication.Snapshots.ItemClass;
import cn.pharmacyclaims.settlement.adjudication.Snapshots.PersonStatus;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

import static cn.pharmacyclaims.settlement.adjudication.TestData.item;
import static cn.pharmacyclaims.settlement.adjudication.TestData.otc;
import static cn.pharmacyclaims.settlement.adjudication.TestData.purchase;
import static cn.pharmacyclaims.settlement.adjudication.TestData.rxItem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

/** CLM-02 … CLM-10: every reject code the adjudicator produces, its boundaries, and the order of checks. */
class AdjudicatorRejectTest {

    static final CatalogueItem PARACETAMOL = otc("XN02BEP0001");
    static final CatalogueItem AMLODIPINE = rxItem("XC08CAA0450101", TestData.HYPERTENSION);
    static final CatalogueItem METFORMIN = rxItem("XA10BAM0001", TestData.DIABETES);
    static final CatalogueItem SHAMPOO = item("NM0000000001", ItemClass.NON_MEDICAL, false, null);

    /** A purchase that passes every check: one OTC line. */
    static TestData valid() {
        return purchase().line(PARACETAMOL, "1", "9.90");
    }

    /** A purchase with an Rx line on a valid electronic prescription. */
    static TestData validRx() {
        return purchase().electronicRx().line(AMLODIPINE, "2", "12.3400");
    }

    /** Asserts exactly one reject of the code per given line number (none: one request-level reject). */
    static List<Reject> assertRejected(TestData data, RejectCode code, Integer... lineNos) {
        List<Reject> rejects = data.rejects();
        assertThat(rejects).extracting(Reject::code).containsOnly(code);
        List<Integer> expected = lineNos.length == 0 ? Arrays.asList((Integer) null) : List.of(lineNos);
        assertThat(rejects).extracting(Reject::lineNo).containsExactlyElementsOf(expected);
        assertThat(rejects).allSatisfy(r -> assertThat(r.message()).isNotBlank()
                .doesNotContain(TestData.CERT).doesNotContain("440102199001011234"));
        return rejects;
    }

    @Test
    void clm02_to_clm10_validPurchasesPassEveryCheck() {
        assertThat(valid().adjudicate()).isInstanceOf(Adjudication.Accepted.class);
        assertThat(validRx().adjudicate()).isInstanceOf(Adjudication.Accepted.class);
    }

    @Nested
    class Clm02Pharmacy {

        @Test
        void clm02_unknownPharmacy_PHARMACY_UNKNOWN() {
            TestData d = valid();
            d.pharmacy = null;
            assertRejected(d, RejectCode.PHARMACY_UNKNOWN);
        }

        @Test
        void clm02_unknownPharmacyWithoutPolicy_isStillARejectNotAnError() {
            TestData d = valid();
            d.pharmacy = null;
            d.policyKnown = false;
            assertRejected(d, RejectCode.PHARMACY_UNKNOWN);
        }

        @Test
        void clm02_knownPharmacyWithoutPolicy_isAConfigurationError() {
            TestData d = valid();
            d.policyKnown = false;
            assertThatThrownBy(d::adjudicate).isInstanceOf(IllegalStateException.class)
                    .hasMessageStartingWith("no policy for region");
        }

        @ParameterizedTest
        @EnumSource(value = PharmacyStatus.class, names = {"SUSPENDED", "TERMINATED", "EXPIRED"})
        void clm02_statusNotActive_AGREEMENT_NOT_ACTIVE(PharmacyStatus status) {
            TestData d = valid();
            d.pharmacy = pharmacy(status, "2026-01-01", "2026-12-31");
            d.holdAllowsSettlement = true; // only concerns SETTLEMENT_HOLD
            assertThat(assertRejected(d, RejectCode.AGREEMENT_NOT_ACTIVE).get(0).message()).contains(status.name());
        }

        @Test
        void clm02_saleAfterAgreementEnd_AGREEMENT_NOT_ACTIVE() {
            TestData d = valid();
            d.pharmacy = pharmacy(PharmacyStatus.ACTIVE, "2026-01-01", "2026-11-22");
            assertRejected(d, RejectCode.AGREEMENT_NOT_ACTIVE);
        }

        @Test
        void clm02_saleBeforeAgreementStart_AGREEMENT_NOT_ACTIVE() {
            TestData d = valid();
            d.pharmacy = pharmacy(PharmacyStatus.ACTIVE, "2026-11-24", "2027-11-23");
            assertRejected(d, RejectCode.AGREEMENT_NOT_ACTIVE);
        }

        @Test
        void clm02_saleOnFirstAndLastDayOfAgreement_isAccepted() {
            TestData d = valid();
            d.pharmacy = pharmacy(PharmacyStatus.ACTIVE, "2026-11-23", "2026-11-23");
            assertThat(d.adjudicate()).isInstanceOf(Adjudication.Accepted.class);
        }

        @Test
        void agr08_settlementHold_SETTLEMENT_HOLD_byDefault() {
            TestData d = valid();
            d.pharmacy = pharmacy(PharmacyStatus.SETTLEMENT_HOLD, "2026-01-01", "2026-12-31");
            assertRejected(d, RejectCode.SETTLEMENT_HOLD);
        }

        @Test
        void agr08_settlementHold_settlesWhenPolicyAllows() {
            TestData d = valid();
            d.pharmacy = pharmacy(PharmacyStatus.SETTLEMENT_HOLD, "2026-01-01", "2026-12-31");
            d.holdAllowsSettlement = true;
            assertThat(d.adjudicate()).isInstanceOf(Adjudication.Accepted.class);
        }

        @Test
        void agr08_settlementHoldAllowed_butAgreementOver_AGREEMENT_NOT_ACTIVE() {
            TestData d = valid();
            d.pharmacy = pharmacy(PharmacyStatus.SETTLEMENT_HOLD, "2025-01-01", "2025-12-31");
            d.holdAllowsSettlement = true;
            assertRejected(d, RejectCode.AGREEMENT_NOT_ACTIVE);
        }

        @Test
        void clm02_terminalOfAnotherPharmacy_TERMINAL_PHARMACY_MISMATCH() {
            TestData d = valid();
            d.terminalPharmacyCode = "P44010500002";
            assertRejected(d, RejectCode.TERMINAL_PHARMACY_MISMATCH);
        }

        @Test
        void clm02_unknownTerminal_TERMINAL_PHARMACY_MISMATCH() {
            TestData d = valid();
            d.terminalPharmacyCode = null;
            assertRejected(d, RejectCode.TERMINAL_PHARMACY_MISMATCH);
        }

        private Snapshots.Pharmacy pharmacy(PharmacyStatus status, String from, String to) {
            return new Snapshots.Pharmacy(TestData.PHARMACY, TestData.REGION, status, LocalDate.parse(from), LocalDate.parse(to));
        }
    }

    @Nested
    class Clm03Person {

        @Test
        void clm03_unknownPerson_INSURED_UNKNOWN() {
            TestData d = valid();
            d.personKnown = false;
            assertRejected(d, RejectCode.INSURED_UNKNOWN);
        }

        @Test
        void clm03_lapsed_INSURED_NOT_ELIGIBLE_sayingLapsed() {
            TestData d = valid();
            d.personStatus = PersonStatus.LAPSED;
            String message = assertRejected(d, RejectCode.INSURED_NOT_ELIGIBLE).get(0).message();
            assertThat(message).contains("lapsed").doesNotContainIgnoringCase("deceased");
        }

        @Test
        void clm03_aud14_deceased_INSURED_NOT_ELIGIBLE_sayingDeceased() {
            TestData d = valid();
            d.personStatus = PersonStatus.DECEASED;
            assertThat(assertRejected(d, RejectCode.INSURED_NOT_ELIGIBLE).get(0).message()).contains("deceased");
        }

        @Test
        void clm03_aud14_cardLost_CARD_REPORTED_LOST() {
            TestData d = valid();
            d.cardLost = true;
            assertRejected(d, RejectCode.CARD_REPORTED_LOST);
        }

        @Test
        void clm03_credentialOfSomeoneElse_IDENTITY_MISMATCH() {
            TestData d = valid();
            d.certNo = "B99999999";
            assertRejected(d, RejectCode.IDENTITY_MISMATCH);
        }

        @Test
        void clm03_anyOfThePersonsCredentialsMatches() {
            TestData d = valid();
            d.certType = SettlementRequest.CertType.ID_CARD;
            d.certNo = "440102199001011234";
            assertThat(d.adjudicate()).isInstanceOf(Adjudication.Accepted.class);
        }

        @Test
        void clm03_personNumberDiffers_IDENTITY_MISMATCH() {
            TestData d = valid();
            d.personPsnNo = "44010000000000999999";
            assertRejected(d, RejectCode.IDENTITY_MISMATCH);
        }
    }

    @Nested
    class Clm04Proxy {

        @Test
        void clm04_proxyWithoutName_PROXY_IDENTITY_REQUIRED() {
            TestData d = valid();
            d.purchaser = new SettlementRequest.Purchaser("440102199201011234", " ");
            assertRejected(d, RejectCode.PROXY_IDENTITY_REQUIRED);
        }

        @Test
        void clm04_proxyWithoutIdNo_PROXY_IDENTITY_REQUIRED() {
            TestData d = valid();
            d.purchaser = new SettlementRequest.Purchaser(null, "Li Si");
            List<Reject> rejects = assertRejected(d, RejectCode.PROXY_IDENTITY_REQUIRED);
            assertThat(rejects.get(0).message()).doesNotContain("Li Si");
        }

        @Test
        void clm04_proxyWithBothIdentities_isAccepted() {
            TestData d = valid();
            d.purchaser = new SettlementRequest.Purchaser("440102199201011234", "Li Si");
            assertThat(d.adjudicate()).isInstanceOf(Adjudication.Accepted.class);
        }
    }

    @Nested
    class Clm05Catalogue {

        @Test
        void clm05_unknownItems_ITEM_UNKNOWN_perLine() {
            TestData d = purchase()
                    .lineOfCode("XX0000000001", "1", "1.00", l -> { })
                    .line(PARACETAMOL, "1", "9.90")
                    .lineOfCode("XX0000000002", "1", "1.00", l -> { });
            assertRejected(d, RejectCode.ITEM_UNKNOWN, 1, 3);
        }

        @Test
        void clm05_aud01_nonMedicalItem_NON_MEDICAL_ITEM_perLine() {
            TestData d = purchase().line(PARACETAMOL, "1", "9.90").line(SHAMPOO, "1", "39.00");
            assertRejected(d, RejectCode.NON_MEDICAL_ITEM, 2);
        }

        @Test
        void clm05_aud01_unknownCodeDoesNotHideANonMedicalItem() {
            TestData d = purchase().line(SHAMPOO, "1", "39.00").lineOfCode("XX0000000001", "1", "1.00", l -> { });
            assertThat(d.rejects()).extracting(Reject::code, Reject::lineNo).containsExactly(
                    tuple(RejectCode.NON_MEDICAL_ITEM, 1),
                    tuple(RejectCode.ITEM_UNKNOWN, 2));
        }
    }

    @Nested
    class Clm06Prescription {

        @Test
        void clm06_rxLinesWithoutPrescription_RX_REQUIRED_perRxLine() {
            TestData d = purchase().line(AMLODIPINE, "1", "12.34").line(PARACETAMOL, "1", "9.90").line(METFORMIN, "1", "5.00");
            assertRejected(d, RejectCode.RX_REQUIRED, 1, 3);
        }

        @Test
        void clm06_noRxLine_needsNoPrescriptionNorPharmacist() {
            TestData d = valid();
            d.lineSpec(1).pharmacistLicence = null;
            assertThat(d.adjudicate()).isInstanceOf(Adjudication.Accepted.class);
        }

        @Test
        void clm06_unknownInstitution_RX_PRESCRIBER_NOT_DESIGNATED() {
            TestData d = validRx();
            d.institution = null;
            assertRejected(d, RejectCode.RX_PRESCRIBER_NOT_DESIGNATED);
        }

        @Test
        void clm06_institutionNotDesignated_RX_PRESCRIBER_NOT_DESIGNATED() {
            TestData d = validRx();
            d.institution = new Snapshots.Institution(TestData.INSTITUTION, false, Set.of(TestData.PHYSICIAN));
            assertRejected(d, RejectCode.RX_PRESCRIBER_NOT_DESIGNATED);
        }

        @Test
        void clm06_physicianNotOfTheInstitution_RX_PRESCRIBER_NOT_DESIGNATED() {
            TestData d = validRx().withRx(rx -> rx.physicianCode = "D9999");
            assertRejected(d, RejectCode.RX_PRESCRIBER_NOT_DESIGNATED);
        }

        @Test
        void clm06_paperPrescriptionOfADesignatedPrescriber_isAccepted() {
            assertThat(purchase().paperRx().line(AMLODIPINE, "1", "12.34").adjudicate()).isInstanceOf(Adjudication.Accepted.class);
        }

        @Test
        void clm06_prescriptionForAnotherPatient_RX_PATIENT_MISMATCH() {
            TestData d = validRx().withRx(rx -> rx.patientPsnNo = "44010000000000999999");
            assertRejected(d, RejectCode.RX_PATIENT_MISMATCH);
        }

        @Test
        void clm06_oneDayPrescriptionFromYesterday_RX_EXPIRED() {
            TestData d = validRx().withRx(rx -> rx.issuedAt = OffsetDateTime.parse("2026-11-22T23:30:00+08:00"));
            assertRejected(d, RejectCode.RX_EXPIRED);
        }

        @Test
        void clm06_issueDayIsTakenInBeijingTime() {
            // 16:30 UTC on the 22nd is 00:30 on the 23rd in Beijing: issued on the sale day, valid.
            TestData d = validRx().withRx(rx -> rx.issuedAt = OffsetDateTime.parse("2026-11-22T16:30:00Z"));
            assertThat(d.adjudicate()).isInstanceOf(Adjudication.Accepted.class);
            // 15:59 UTC on the 22nd is 23:59 on the 22nd in Beijing: a one-day prescription of yesterday.
            d.withRx(rx -> rx.issuedAt = OffsetDateTime.parse("2026-11-22T15:59:00Z"));
            assertRejected(d, RejectCode.RX_EXPIRED);
        }

        @Test
        void clm06_validDaysCountTheIssueDay() {
            // 3 days from the 21st: the 21st, 22nd and 23rd (the sale day) -> valid.
            TestData d = validRx().withRx(rx -> {
                rx.issuedAt = OffsetDateTime.parse("2026-11-21T09:00:00+08:00");
                rx.validDays = 3;
            });
            assertThat(d.adjudicate()).isInstanceOf(Adjudication.Accepted.class);
            // 3 days from the 20th end on the 22nd -> expired on the 23rd.
            d.withRx(rx -> rx.issuedAt = OffsetDateTime.parse("2026-11-20T09:00:00+08:00"));
            assertRejected(d, RejectCode.RX_EXPIRED);
        }

        @Test
        void clm06_validDaysAboveThePolicyMaximumAreCutToIt() {
            // The physician wrote 7 days; policy allows 3: issued the 20th, last valid day the 22nd.
            TestData d = validRx().withRx(rx -> {
                rx.issuedAt = OffsetDateTime.parse("2026-11-20T09:00:00+08:00");
                rx.validDays = 7;
            });
            assertRejected(d, RejectCode.RX_EXPIRED);
        }

        @Test
        void clm06_noValidDaysMeansTheIssueDayOnly() {
            TestData d = validRx().withRx(rx -> {
                rx.issuedAt = OffsetDateTime.parse("2026-11-22T09:00:00+08:00");
                rx.validDays = null;
            });
            assertRejected(d, RejectCode.RX_EXPIRED);
        }

        @Test
        void clm06_prescriptionIssuedAfterTheSale_RX_EXPIRED() {
            TestData d = validRx().withRx(rx -> rx.issuedAt = OffsetDateTime.parse("2026-11-24T08:00:00+08:00"));
            assertRejected(d, RejectCode.RX_EXPIRED);
        }

        @Test
        void clm06_sixDistinctDrugs_RX_TOO_MANY_ITEMS() {
            TestData d = purchase().electronicRx();
            for (int i = 1; i <= 6; i++) {
                d.line(rxItem("XRX000000000" + i), "1", "1.00");
            }
            d.line(PARACETAMOL, "1", "1.00"); // OTC lines do not count
            assertRejected(d, RejectCode.RX_TOO_MANY_ITEMS);
        }

        @Test
        void clm06_fiveDistinctDrugsOnSixLines_isAccepted() {
            TestData d = purchase().electronicRx();
            for (int i = 1; i <= 5; i++) {
                d.line(rxItem("XRX000000000" + i), "1", "1.00");
            }
            d.line(rxItem("XRX0000000001"), "1", "1.00");
            assertThat(d.adjudicate()).isInstanceOf(Adjudication.Accepted.class);
        }

        @Test
        void clm06_electronicPrescriptionAlreadyDispensed_RX_ALREADY_DISPENSED() {
            TestData d = validRx();
            d.prescriptionUse = new Snapshots.PrescriptionUse("RX2026112300017", "S-0001");
            assertThat(assertRejected(d, RejectCode.RX_ALREADY_DISPENSED).get(0).message()).doesNotContain("S-0001");
        }

        @Test
        void clm06_electronicPrescriptionKnownButNotDispensed_isAccepted() {
            TestData d = validRx();
            d.prescriptionUse = new Snapshots.PrescriptionUse("RX2026112300017", null);
            assertThat(d.adjudicate()).isInstanceOf(Adjudication.Accepted.class);
        }

        @Test
        void clm06_rxLineWithoutPharmacist_PHARMACIST_MISSING_perRxLine() {
            TestData d = purchase().electronicRx()
                    .line(PARACETAMOL, "1", "9.90", l -> l.pharmacistLicence = null)
                    .line(AMLODIPINE, "1", "12.34", l -> l.pharmacistLicence = null)
                    .line(METFORMIN, "1", "5.00", l -> l.pharmacistLicence = "");
            assertRejected(d, RejectCode.PHARMACIST_MISSING, 2, 3);
        }
    }

    @Nested
    class Clm07DaysSupply {

        @Test
        void clm07_moreThanSevenDays_DAYS_SUPPLY_EXCEEDED() {
            TestData d = purchase()
                    .line(PARACETAMOL, "1", "9.90", l -> l.daysSupply = 8)
                    .line(otc("XN02BEI0001"), "1", "9.90", l -> l.daysSupply = 7);
            assertRejected(d, RejectCode.DAYS_SUPPLY_EXCEEDED, 1);
        }

        @Test
        void clm07_chronicRegistrationCoveringTheItem_allowsThirtyDays() {
            TestData d = validRx().chronic(TestData.HYPERTENSION);
            d.lineSpec(1).daysSupply = 30;
            assertThat(d.adjudicate()).isInstanceOf(Adjudication.Accepted.class);
            d.lineSpec(1).daysSupply = 31;
            assertRejected(d, RejectCode.DAYS_SUPPLY_EXCEEDED, 1);
        }

        @Test
        void clm07_chronicRegistrationForAnotherDisease_keepsSevenDays() {
            TestData d = validRx().chronic(TestData.DIABETES);
            d.lineSpec(1).daysSupply = 8;
            assertRejected(d, RejectCode.DAYS_SUPPLY_EXCEEDED, 1);
        }

        @Test
        void clm07_chronicRegistrationExpiredOnSaleDate_keepsSevenDays() {
            TestData d = validRx().chronic(TestData.HYPERTENSION, LocalDate.of(2025, 1, 1), LocalDate.of(2026, 11, 22));
            d.lineSpec(1).daysSupply = 8;
            assertRejected(d, RejectCode.DAYS_SUPPLY_EXCEEDED, 1);
        }
    }

    @Nested
    class Clm08Refill {

        @Test
        void clm08_day5Of7Days_REFILL_TOO_SOON() {
            // 80% of 7 days = 5.6 days; 5 days elapsed (18th -> 23rd) < 5.6.
            TestData d = valid().prior(PARACETAMOL.itemCode(), LocalDate.of(2026, 11, 18), 7);
            assertThat(assertRejected(d, RejectCode.REFILL_TOO_SOON, 1).get(0).message()).contains("2026-11-24");
        }

        @Test
        void clm08_day6Of7Days_isAccepted() {
            // 6 days elapsed (17th -> 23rd) >= 5.6.
            TestData d = valid().prior(PARACETAMOL.itemCode(), LocalDate.of(2026, 11, 17), 7);
            assertThat(d.adjudicate()).isInstanceOf(Adjudication.Accepted.class);
        }

        @Test
        void clm08_exactlyTheThreshold_passes() {
            // 80% of 10 days = 8.0 days; 8 days elapsed (15th -> 23rd): equal passes, 7 days fails.
            TestData d = valid().prior(PARACETAMOL.itemCode(), LocalDate.of(2026, 11, 15), 10);
            assertThat(d.adjudicate()).isInstanceOf(Adjudication.Accepted.class);
            d.prior(PARACETAMOL.itemCode(), LocalDate.of(2026, 11, 16), 10);
            assertRejected(d, RejectCode.REFILL_TOO_SOON, 1);
        }

        @Test
        void clm08_onlyTheLinesOfTheSameItemAreRejected() {
            TestData d = purchase().line(PARACETAMOL, "1", "9.90").line(otc("XN02BEI0001"), "1", "5.00")
                    .prior("XN02BEI0001", LocalDate.of(2026, 11, 22), 3)
                    .prior("XN99999999", LocalDate.of(2026, 11, 22), 3);
            assertRejected(d, RejectCode.REFILL_TOO_SOON, 2);
        }
    }

    @Nested
    class Clm10Price {

        @Test
        void clm10_nonPositiveQuantityOrPrice_PRICE_INVALID_perLine() {
            TestData d = purchase()
                    .line(PARACETAMOL, "0", "9.90")
                    .line(otc("XN02BEI0001"), "1", "5.00")
                    .line(otc("XN02BEI0002"), "1", "-5.00")
                    .line(otc("XN02BEI0003"), "1", "0.0000")
                    .line(otc("XN02BEI0004"), null, "1.00");
            assertRejected(d, RejectCode.PRICE_INVALID, 1, 3, 4, 5);
        }

        @Test
        void clm10_unitPriceWithFiveDecimals_PRICE_INVALID() {
            TestData d = purchase().line(PARACETAMOL, "1", "1.23456").line(otc("XN02BEI0001"), "1", "1.2345");
            assertRejected(d, RejectCode.PRICE_INVALID, 1);
        }

        @Test
        void clm10_trailingZerosBeyondFourDecimalsAreNotDecimals() {
            assertThat(purchase().line(PARACETAMOL, "1", "12.340000").adjudicate()).isInstanceOf(Adjudication.Accepted.class);
        }
    }

    /**
     * Order of checks: a request failing every check is rejected by the earliest; repairing that
     * one exposes the next, in the order CLM-02, 03, 04, 05, 06 (with a registered e-prescription),
     * 07, 08, 10.
     */
    @Test
    void clm02_to_clm10_order_eachCheckIsReportedOnlyOnceAllEarlierChecksPass() {
        TestData d = purchase()
                .line(AMLODIPINE, "0", "12.34", l -> { l.pharmacistLicence = null; l.daysSupply = 8; })
                .line(SHAMPOO, "1", "39.00")
                .prior(AMLODIPINE.itemCode(), LocalDate.of(2026, 11, 22), 7);
        d.pharmacy = null;
        d.terminalPharmacyCode = "P44010500002";
        d.personStatus = PersonStatus.DECEASED;
        d.cardLost = true;
        d.certNo = "B99999999";
        d.purchaser = new SettlementRequest.Purchaser(null, null);

        record Step(RejectCode expected, Runnable repair) {
        }
        List<Step> steps = List.of(
                new Step(RejectCode.PHARMACY_UNKNOWN, () -> d.pharmacy = new Snapshots.Pharmacy(TestData.PHARMACY,
                        TestData.REGION, PharmacyStatus.SUSPENDED, LocalDate.of(2026, 1, 1), LocalDate.of(2026, 12, 31))),
                new Step(RejectCode.AGREEMENT_NOT_ACTIVE, () -> d.pharmacy = new Snapshots.Pharmacy(TestData.PHARMACY,
                        TestData.REGION, PharmacyStatus.ACTIVE, LocalDate.of(2026, 1, 1), LocalDate.of(2026, 12, 31))),
                new Step(RejectCode.TERMINAL_PHARMACY_MISMATCH, () -> d.terminalPharmacyCode = TestData.PHARMACY),
                new Step(RejectCode.INSURED_NOT_ELIGIBLE, () -> d.personStatus = PersonStatus.ACTIVE),
                new Step(RejectCode.CARD_REPORTED_LOST, () -> d.cardLost = false),
                new Step(RejectCode.IDENTITY_MISMATCH, () -> d.certNo = TestData.CERT),
                new Step(RejectCode.PROXY_IDENTITY_REQUIRED, () -> d.purchaser = null),
                new Step(RejectCode.NON_MEDICAL_ITEM, () -> d.lines.remove(1)),
                new Step(RejectCode.RX_REQUIRED, () -> d.electronicRx().withRx(rx -> rx.validDays = 0)
                        .withRx(rx -> rx.issuedAt = OffsetDateTime.parse("2026-11-20T09:00:00+08:00"))),
                new Step(RejectCode.RX_EXPIRED, () -> d.withRx(rx -> rx.issuedAt = TestData.SALE_TIME.minusHours(1))
                        .registered(METFORMIN.itemCode(), "1")),
                new Step(RejectCode.RX_ITEM_NOT_PRESCRIBED, () -> d.registered(AMLODIPINE.itemCode(), "1")),
                new Step(RejectCode.PHARMACIST_MISSING, () -> d.lineSpec(1).pharmacistLicence = TestData.PHARMACIST),
                new Step(RejectCode.DAYS_SUPPLY_EXCEEDED, () -> d.lineSpec(1).daysSupply = 7),
                new Step(RejectCode.REFILL_TOO_SOON, d.priorSupplies::clear),
                new Step(RejectCode.PRICE_INVALID, () -> d.lineSpec(1).quantity = TestData.m("1")));
        for (Step step : steps) {
            assertThat(d.rejects()).as("expected %s", step.expected()).extracting(Reject::code).containsOnly(step.expected());
            step.repair().run();
        }
        assertThat(d.adjudicate()).isInstanceOf(Adjudication.Accepted.class);
    }

    @Test
    void clm06_order_prescriberBeforePatientBeforeExpiry() {
        TestData d = validRx().withRx(rx -> {
            rx.physicianCode = "D9999";
            rx.patientPsnNo = "44010000000000999999";
            rx.issuedAt = OffsetDateTime.parse("2026-11-01T09:00:00+08:00");
        });
        assertRejected(d, RejectCode.RX_PRESCRIBER_NOT_DESIGNATED);
        d.withRx(rx -> rx.physicianCode = TestData.PHYSICIAN);
        assertRejected(d, RejectCode.RX_PATIENT_MISMATCH);
        d.withRx(rx -> rx.patientPsnNo = TestData.PSN);
        assertRejected(d, RejectCode.RX_EXPIRED);
    }

    @Test
    void clm06_order_tooManyItemsBeforeDispensedBeforePharmacist() {
        TestData d = purchase().electronicRx();
        for (int i = 1; i <= 6; i++) {
            d.line(rxItem("XRX000000000" + i), "1", "1.00", l -> l.pharmacistLicence = null);
        }
        d.prescriptionUse = new Snapshots.PrescriptionUse("RX2026112300017", "S-0001");
        assertRejected(d, RejectCode.RX_TOO_MANY_ITEMS);
        d.lines.remove(5);
        assertRejected(d, RejectCode.RX_ALREADY_DISPENSED);
        d.prescriptionUse = null;
        assertRejected(d, RejectCode.PHARMACIST_MISSING, 1, 2, 3, 4, 5);
    }

    @Test
    void clm02_clm03_order_lapsedBeforeCardLost_andUnknownPharmacyBeforeUnknownPerson() {
        TestData d = valid();
        d.personStatus = PersonStatus.LAPSED;
        d.cardLost = true;
        assertRejected(d, RejectCode.INSURED_NOT_ELIGIBLE);
        d.pharmacy = null;
        d.personKnown = false;
        assertRejected(d, RejectCode.PHARMACY_UNKNOWN);
    }

    @Test
    void clm05_requestWithoutLines_isAProgrammingError() {
        assertThatThrownBy(() -> purchase().adjudicate()).isInstanceOf(IllegalArgumentException.class);
    }
}
