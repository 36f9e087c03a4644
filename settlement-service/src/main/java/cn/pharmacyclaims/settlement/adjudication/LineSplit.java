package cn.pharmacyclaims.settlement.adjudication;

import cn.pharmacyclaims.common.events.SettlementResult.Benefit;

import java.math.BigDecimal;

/**
 * CLM-11 steps 1 to 3 for one accepted line, and the benefit it falls under (step 4). All
 * amounts have scale 2; amount = overLimit + outOfScope + selfPayFirst + eligible.
 *
 * @param chronicDisease the disease whose chronic benefit pays, when benefit is CHRONIC; else null
 */
record LineSplit(int lineNo, BigDecimal amount, BigDecimal overLimit, BigDecimal outOfScope, BigDecimal selfPayFirst,
                 BigDecimal eligible, Benefit benefit, String chronicDisease) {
}
