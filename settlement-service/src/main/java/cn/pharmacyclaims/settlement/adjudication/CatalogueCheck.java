package cn.pharmacyclaims.settlement.adjudication;

import cn.pharmacyclaims.common.events.RejectCode;
import cn.pharmacyclaims.common.events.SettlementRequest;
import cn.pharmacyclaims.common.events.SettlementResult.Reject;

import java.util.ArrayList;
import java.util.List;

/**
 * CLM-05: every line names a catalogue item, and no item is NON_MEDICAL.
 *
 * <p>Design choice: this is ONE check that reports every failing line with its own code
 * (ITEM_UNKNOWN or NON_MEDICAL_ITEM), rather than two checks where unknown codes would hide
 * non-medical ones. AUD-01 raises a CLEAR violation for every request with a non-medical
 * item; were ITEM_UNKNOWN to stop the chain, a pharmacy could hide daily goods from the
 * audit by adding one line with a made-up code.
 */
final class CatalogueCheck implements Check {

    @Override
    public List<Reject> apply(AdjudicationInput in) {
        List<Reject> rejects = new ArrayList<>();
        List<SettlementRequest.Line> lines = Lines.of(in);
        for (int i = 0; i < lines.size(); i++) {
            SettlementRequest.Line line = lines.get(i);
            Snapshots.CatalogueItem item = line.itemCode() == null || in.items() == null ? null : in.items().get(line.itemCode());
            if (item == null) { // CLM-05 unknown code
                rejects.add(Rejects.line(RejectCode.ITEM_UNKNOWN, Lines.no(line, i),
                        "item " + line.itemCode() + " is not in the catalogue"));
            } else if (item.itemClass() == Snapshots.ItemClass.NON_MEDICAL) { // CLM-05, AUD-01
                rejects.add(Rejects.line(RejectCode.NON_MEDICAL_ITEM, Lines.no(line, i),
                        "item " + line.itemCode() + " is not a medical item and is never payable"));
            }
        }
        return rejects;
    }
}
