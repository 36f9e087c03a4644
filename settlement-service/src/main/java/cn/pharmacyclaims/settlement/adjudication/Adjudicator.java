package cn.pharmacyclaims.settlement.adjudication;

/**
 * The counter-settlement rules of DOMAIN.md §3 as one pure function: the same input always gives
 * the same decision, and nothing here touches a database or a clock.
 */
public final class Adjudicator {

    public Adjudication adjudicate(AdjudicationInput input) {
        throw new UnsupportedOperationException("being implemented");
    }
}
