package cn.pharmacyclaims.settlement.adjudication;

import cn.pharmacyclaims.common.events.RejectCode;
import cn.pharmacyclaims.common.events.SettlementResult;
import cn.pharmacyclaims.common.events.SettlementResult.Reject;
import cn.pharmacyclaims.settlement.adjudication.Snapshots.CatalogueItem;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.util.Map;

import static cn.pharmacyclaims.settlement.adjudication.AdjudicatorRejectTest.assertRejected;
import static cn.pharmacyclaims.settlement.adjudication.TestData.otc;
import static cn.pharmacyclaims.settlement.adjudication.TestData.purchase;
import static cn.pharmacyclaims.settlement.adjudication.TestData.rxItem;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * CLM-06 with the e-prescription registry: "an electronic prescription can be dispensed only
 * once, and only the items and quantities on it". A registered electronic prescription also fixes
 * the patient, the prescriber and the validity; an unregistered one keeps the request-only checks.
 */
class AdjudicatorRegisteredPrescriptionTest {

    static final CatalogueItem AMLODIPINE = rxItem("XC08CAA0450101", TestData.HYPERTENSION);
    static final CatalogueItem METFORMIN = rxItem("XA10BAM0001", TestData.DIABETES);
    static final CatalogueItem PARACETAMOL = otc("XN02BEP0001");

    /** An electronic prescription of 2 × amlodipine, registered, dispensed for exactly that. */
    static TestData registeredRx() {
        return purchase().electronicRx().registered(AMLODIPINE.itemCode(), "2").line(AMLODIPINE, "2", "12.3400");
    }

    @Test
    void clm06_registeredItemsWithinTheirQuantities_areAccepted() {
        Adjudication.Accepted a = registeredRx().line(PARACETAMOL, "5", "1.00").accepted();
        assertThat(a.totals().total()).isEqualByComparingTo("29.68");
        // the registry changes nothing of the split: an Rx item on an e-prescription is outpatient pooling
        assertThat(a.lines().get(0).benefit()).isEqualTo(SettlementResult.Benefit.POOLING);
    }

    @Test
    void clm06_itemNotOnTheRegisteredPrescription_RX_ITEM_NOT_PRESCRIBED_onThatLineOnly() {
        TestData d = registeredRx().line(PARACETAMOL, "1", "9.90").line(METFORMIN, "1", "5.00");
        Reject r = assertRejected(d, RejectCode.RX_ITEM_NOT_PRESCRIBED, 3).get(0);
        assertThat(r.message()).contains(METFORMIN.itemCode()).contains("RX2026112300017");
    }

    @Test
    void clm06_quantityAboveThePrescribed_RX_ITEM_NOT_PRESCRIBED() {
        TestData d = purchase().electronicRx().registered(AMLODIPINE.itemCode(), "2").line(AMLODIPINE, "3", "12.34");
        Reject r = assertRejected(d, RejectCode.RX_ITEM_NOT_PRESCRIBED, 1).get(0);
        assertThat(r.message()).contains("3 requested").contains("leaves 2");
    }

    @Test
    void clm06_linesOfOneItemAddUp_andEveryLineOfTheItemIsReported() {
        TestData d = purchase().electronicRx().registered(AMLODIPINE.itemCode(), "2", METFORMIN.itemCode(), "1")
                .line(AMLODIPINE, "1", "12.34").line(METFORMIN, "1", "5.00").line(AMLODIPINE, "2", "12.34");
        assertRejected(d, RejectCode.RX_ITEM_NOT_PRESCRIBED, 1, 3);
        d.lineSpec(3).quantity = TestData.m("1");
        assertThat(d.adjudicate()).isInstanceOf(Adjudication.Accepted.class);
    }

    @Test
    void clm06_quantitiesCompareExactly_fractionsIncluded() {
        TestData d = purchase().electronicRx().registered(AMLODIPINE.itemCode(), "1.5")
                .line(AMLODIPINE, "0.5", "12.34").line(AMLODIPINE, "1.0", "12.34");
        assertThat(d.adjudicate()).isInstanceOf(Adjudication.Accepted.class);
        d.lineSpec(2).quantity = TestData.m("1.0001");
        assertRejected(d, RejectCode.RX_ITEM_NOT_PRESCRIBED, 1, 2);
    }

    @Test
    void clm06_quantityAlreadyDispensedByLiveSettlementsCounts() {
        TestData d = registeredRx().withRegistered(r -> r.dispensed.put(AMLODIPINE.itemCode(), TestData.m("1")));
        assertThat(assertRejected(d, RejectCode.RX_ITEM_NOT_PRESCRIBED, 1).get(0).message()).contains("leaves 1");
        d.lineSpec(1).quantity = TestData.m("1");
        assertThat(d.adjudicate()).isInstanceOf(Adjudication.Accepted.class);
    }

    @Test
    void clm06_aNonPositiveQuantityDoesNotHideAnExcess_itIsPriceInvalidLater() {
        TestData d = purchase().electronicRx().registered(AMLODIPINE.itemCode(), "2")
                .line(AMLODIPINE, "3", "12.34").line(AMLODIPINE, "-1", "12.34");
        assertRejected(d, RejectCode.RX_ITEM_NOT_PRESCRIBED, 1, 2);
        d.lineSpec(1).quantity = TestData.m("2");
        assertRejected(d, RejectCode.PRICE_INVALID, 2);
    }

    @Test
    void clm06_onlyRxLinesAreHeldToThePrescription() {
        // an OTC item needs no prescription, so it is not "not prescribed" either
        TestData d = registeredRx().line(PARACETAMOL, "10", "1.00");
        assertThat(d.adjudicate()).isInstanceOf(Adjudication.Accepted.class);
    }

    @Test
    void clm06_registeredForAnotherPatient_RX_PATIENT_MISMATCH() {
        // the request states the insured person as patient; the registry knows better
        TestData d = registeredRx().withRegistered(r -> r.patientPsnNo = "44010000000000999999");
        assertThat(assertRejected(d, RejectCode.RX_PATIENT_MISMATCH).get(0).message()).contains("registered");
    }

    @Test
    void clm06_registeredWithAnotherInstitutionOrPhysician_RX_PRESCRIBER_NOT_DESIGNATED() {
        TestData otherInstitution = registeredRx().withRegistered(r -> r.institutionCode = "H44010500099");
        assertRejected(otherInstitution, RejectCode.RX_PRESCRIBER_NOT_DESIGNATED);
        // D0043 is a physician of the institution too, but not the one who wrote this prescription
        TestData otherPhysician = registeredRx().withRegistered(r -> r.physicianCode = "D0043");
        assertRejected(otherPhysician, RejectCode.RX_PRESCRIBER_NOT_DESIGNATED);
    }

    @Test
    void clm06_theRegistrysIssueTimeAndValidityApply_notTheRequests() {
        // the POS restates an old prescription as issued today: the registry says the 20th, one day
        TestData d = registeredRx().withRegistered(r -> r.issuedAt = OffsetDateTime.parse("2026-11-20T09:00:00+08:00"));
        assertThat(assertRejected(d, RejectCode.RX_EXPIRED).get(0).message()).contains("2026-11-20");
        // three days registered from the 21st: valid on the 23rd whatever the request says
        d.withRegistered(r -> {
            r.issuedAt = OffsetDateTime.parse("2026-11-21T09:00:00+08:00");
            r.validDays = 3;
        }).withRx(rx -> rx.issuedAt = OffsetDateTime.parse("2026-11-01T09:00:00+08:00"));
        assertThat(d.adjudicate()).isInstanceOf(Adjudication.Accepted.class);
    }

    @Test
    void clm06_unregisteredElectronicPrescription_keepsTheRequestOnlyChecks() {
        // design choice: contents unknown, so any items and quantities pass CLM-06 as before
        TestData d = purchase().electronicRx().line(AMLODIPINE, "30", "12.34").line(METFORMIN, "9", "5.00");
        assertThat(d.registeredPrescription).isNull();
        assertThat(d.adjudicate()).isInstanceOf(Adjudication.Accepted.class);
    }

    @Test
    void clm06_theRegistryAppliesOnlyToTheSameElectronicPrescription() {
        // a registry record of another number, or a paper prescription, leaves the request-only checks
        TestData otherNumber = purchase().electronicRx().registered(METFORMIN.itemCode(), "1").line(AMLODIPINE, "5", "12.34")
                .withRegistered(r -> r.rxNo = "RX0000000000001");
        assertThat(otherNumber.adjudicate()).isInstanceOf(Adjudication.Accepted.class);
        TestData paper = purchase().paperRx().registered(METFORMIN.itemCode(), "1").line(AMLODIPINE, "5", "12.34");
        assertThat(paper.adjudicate()).isInstanceOf(Adjudication.Accepted.class);
    }

    @Test
    void clm06_order_tooManyItems_thenDispensed_thenNotPrescribed_thenPharmacist() {
        TestData d = purchase().electronicRx().registered(AMLODIPINE.itemCode(), "1");
        for (int i = 1; i <= 6; i++) {
            d.line(rxItem("XRX000000000" + i), "1", "1.00", l -> l.pharmacistLicence = null);
        }
        d.prescriptionUse = new Snapshots.PrescriptionUse("RX2026112300017", "S-0001");
        assertRejected(d, RejectCode.RX_TOO_MANY_ITEMS);
        d.lines.subList(1, 6).clear();
        assertRejected(d, RejectCode.RX_ALREADY_DISPENSED);
        d.prescriptionUse = null;
        assertRejected(d, RejectCode.RX_ITEM_NOT_PRESCRIBED, 1);
        d.withRegistered(r -> r.items = Map.of("XRX0000000001", BigDecimal.ONE));
        assertRejected(d, RejectCode.PHARMACIST_MISSING, 1);
    }

    @Test
    void clm06_order_headerMismatchesBeforeExpiryBeforeContents() {
        TestData d = purchase().electronicRx().registered(METFORMIN.itemCode(), "1").line(AMLODIPINE, "1", "12.34")
                .withRegistered(r -> {
                    r.physicianCode = "D0043";
                    r.patientPsnNo = "44010000000000999999";
                    r.issuedAt = OffsetDateTime.parse("2026-11-01T09:00:00+08:00");
                });
        assertRejected(d, RejectCode.RX_PRESCRIBER_NOT_DESIGNATED);
        d.withRegistered(r -> r.physicianCode = TestData.PHYSICIAN);
        assertRejected(d, RejectCode.RX_PATIENT_MISMATCH);
        d.withRegistered(r -> r.patientPsnNo = TestData.PSN);
        assertRejected(d, RejectCode.RX_EXPIRED);
        d.withRegistered(r -> r.issuedAt = TestData.SALE_TIME.minusHours(1));
        assertRejected(d, RejectCode.RX_ITEM_NOT_PRESCRIBED, 1);
    }
}
