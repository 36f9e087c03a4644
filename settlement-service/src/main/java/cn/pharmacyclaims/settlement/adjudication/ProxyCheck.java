package cn.pharmacyclaims.settlement.adjudication;

import cn.pharmacyclaims.common.events.RejectCode;
import cn.pharmacyclaims.common.events.SettlementRequest;
import cn.pharmacyclaims.common.events.SettlementResult.Reject;

import java.util.List;

/**
 * CLM-04: a proxy purchase (a {@code purchaser} is present) records the buyer's identity
 * number and name; the insured person's credential is already checked by CLM-03. A present
 * but empty purchaser is a proxy purchase without identity, not "no proxy".
 */
final class ProxyCheck implements Check {

    @Override
    public List<Reject> apply(AdjudicationInput in) {
        SettlementRequest.Purchaser purchaser = in.request().purchaser();
        if (purchaser != null && (Lines.blank(purchaser.idNo()) || Lines.blank(purchaser.name()))) { // CLM-04
            return List.of(Rejects.request(RejectCode.PROXY_IDENTITY_REQUIRED,
                    "proxy purchase needs the buyer's identity number and name"));
        }
        return List.of();
    }
}
