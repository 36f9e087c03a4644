package cn.pharmacyclaims.settlement.adjudication;

import cn.pharmacyclaims.common.events.SettlementResult.Reject;

import java.util.List;

/**
 * One step of the CLM-02…CLM-10 chain. A step made of several sub-checks (one per reject code)
 * stops at its first failing sub-check and returns the rejects of that sub-check only: every
 * line failing it, or one request-level reject. An empty list means the step passed.
 */
interface Check {

    List<Reject> apply(AdjudicationInput input);
}
