package cn.pharmacyclaims.settlement.adjudication;

import cn.pharmacyclaims.common.events.SettlementRequest;
import cn.pharmacyclaims.common.events.SettlementResult.Benefit;
import cn.pharmacyclaims.common.money.Money;

import java.math.BigDecimal;

/**
 * CLM-10 and CLM-11 steps 1 to 3 for one line, plus the choice of benefit (step 4):
 * <ol>
 *   <li>amount = round(quantity × unitPrice) (CLM-10, 0.01 half-up);</li>
 *   <li>overLimit = round(max(0, unitPrice − paymentStandard) × quantity); no payment standard
 *       means no limit. It never exceeds the amount (clamped, in case of a bad standard);</li>
 *   <li>allowed = amount − overLimit; class C: outOfScope = allowed; class B: selfPayFirst =
 *       round(allowed × bSelfPayRatio), eligible = the rest; class A: eligible = allowed.</li>
 * </ol>
 * Benefit: CHRONIC when the person holds a registration valid on the sale date for a disease
 * the item covers (see {@link ChronicCoverage#chosen}); else POOLING when the region enables
 * outpatient pooling at pharmacies and the item is Rx on an electronic prescription; else
 * NONE. The benefit is chosen by these facts alone, even when the line's eligible amount is 0
 * (class C) or the region lacks a rule or cap for it: such a line simply gets no fund.
 */
final class BenefitSplit {
    private BenefitSplit() {
    }

    static LineSplit of(int lineNo, SettlementRequest.Line line, Snapshots.CatalogueItem item, AdjudicationInput in,
                        PolicyLimits limits) {
        BigDecimal amount = Money.round(line.quantity().multiply(line.unitPrice())); // CLM-10
        BigDecimal overLimit = Money.ZERO; // CLM-11.1
        if (item.paymentStandard() != null) {
            BigDecimal excess = Money.max(BigDecimal.ZERO, line.unitPrice().subtract(item.paymentStandard()));
            overLimit = Money.min(amount, Money.round(excess.multiply(line.quantity())));
        }
        BigDecimal allowed = amount.subtract(overLimit); // CLM-11.2
        BigDecimal outOfScope = Money.ZERO;
        BigDecimal selfPayFirst = Money.ZERO;
        BigDecimal eligible;
        switch (item.itemClass()) { // CLM-11.3
            case C -> {
                outOfScope = allowed;
                eligible = Money.ZERO;
            }
            case B -> {
                selfPayFirst = Money.round(allowed.multiply(limits.bSelfPayRatio()));
                eligible = allowed.subtract(selfPayFirst);
            }
            case A -> eligible = allowed;
            default -> throw new IllegalStateException("item " + item.itemCode() + " of class " + item.itemClass()
                    + " reached the benefit split (CLM-05 rejects it)");
        }

        String disease = ChronicCoverage.chosen(ChronicCoverage.diseases(in.person(), item, in.saleDate()),
                in.request().prescription() == null ? null : in.request().prescription().diagnosisCode());
        Benefit benefit;
        if (disease != null) {
            benefit = Benefit.CHRONIC;
        } else if (in.policy().outpatientPoolingAtPharmacy() && item.rx() && in.request().prescription() != null
                && Boolean.TRUE.equals(in.request().prescription().electronic())) {
            benefit = Benefit.POOLING;
        } else {
            benefit = Benefit.NONE;
        }
        return new LineSplit(lineNo, amount, overLimit, outOfScope, selfPayFirst, eligible, benefit, disease);
    }
}
