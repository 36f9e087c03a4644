package cn.pharmacyclaims.settlement.adjudication;

import cn.pharmacyclaims.common.events.RejectCode;
import cn.pharmacyclaims.common.events.SettlementRequest;
import cn.pharmacyclaims.common.events.SettlementResult.Reject;

import java.util.List;

/**
 * CLM-03: the insured person exists, is ACTIVE, the card is not reported lost, and the
 * credential presented belongs to them (人证相符). Sub-checks in that order.
 *
 * <p>AUD-14 raises an alert for card-lost and deceased rejects; it tells a deceased person
 * from a lapsed one by the message, which therefore always contains the word "deceased" for
 * a deceased person and never for a lapsed one.
 */
final class PersonCheck implements Check {

    @Override
    public List<Reject> apply(AdjudicationInput in) {
        Snapshots.Person person = in.person();
        if (person == null) { // CLM-03 must exist
            return List.of(Rejects.request(RejectCode.INSURED_UNKNOWN, "insured person is unknown"));
        }
        if (person.status() != Snapshots.PersonStatus.ACTIVE) { // CLM-03 ACTIVE, not deceased, not lapsed
            String why = person.status() == Snapshots.PersonStatus.DECEASED ? "insured person is deceased"
                    : person.status() == Snapshots.PersonStatus.LAPSED ? "insurance of the insured person has lapsed"
                    : "insured person has no insurance status";
            return List.of(Rejects.request(RejectCode.INSURED_NOT_ELIGIBLE, why));
        }
        if (person.cardLost()) { // CLM-03 card reported lost
            return List.of(Rejects.request(RejectCode.CARD_REPORTED_LOST, "card of the insured person is reported lost"));
        }
        SettlementRequest.Insured insured = in.request().insured();
        if (insured == null || insured.psnNo() == null || !insured.psnNo().equals(person.psnNo())) { // CLM-03 人证相符
            return List.of(Rejects.request(RejectCode.IDENTITY_MISMATCH, "insured person number does not match"));
        }
        if (insured.certNo() == null || person.certNos() == null || !person.certNos().contains(insured.certNo())) {
            return List.of(Rejects.request(RejectCode.IDENTITY_MISMATCH,
                    "credential " + insured.certType() + " does not belong to the insured person"));
        }
        return List.of();
    }
}
