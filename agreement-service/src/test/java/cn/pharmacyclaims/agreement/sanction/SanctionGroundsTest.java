package cn.pharmacyclaims.agreement.sanction;

import cn.pharmacyclaims.agreement.lifecycle.TerminationGround;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SanctionGroundsTest {

    @Test
    void aud21_aLeadingGroundNameDecides() {
        assertThat(SanctionGrounds.of("FORGED_RECORDS: prescriptions of a closed clinic")).isEqualTo(TerminationGround.FORGED_RECORDS);
        assertThat(SanctionGrounds.of("settling_for_others at a non-designated shop")).isEqualTo(TerminationGround.SETTLING_FOR_OTHERS);
    }

    @Test
    void aud21_theNamedFraudsAreRecognisedByTheirWords() {
        assertThat(SanctionGrounds.of("confirmed cashing out of the fund")).isEqualTo(TerminationGround.CASHING_OUT);
        assertThat(SanctionGrounds.of("套现 confirmed")).isEqualTo(TerminationGround.CASHING_OUT);
        assertThat(SanctionGrounds.of("forged prescriptions")).isEqualTo(TerminationGround.FORGED_RECORDS);
        assertThat(SanctionGrounds.of("goods swapped into covered drugs (串换)")).isEqualTo(TerminationGround.GOODS_SWAPPING);
        assertThat(SanctionGrounds.of("AUD-08 settling for others")).isEqualTo(TerminationGround.SETTLING_FOR_OTHERS);
    }

    @Test
    void anythingElseIsOther_systemGroundsAreNeverTakenFromText() {
        assertThat(SanctionGrounds.of("third confirmed case")).isEqualTo(TerminationGround.OTHER);
        assertThat(SanctionGrounds.of(null)).isEqualTo(TerminationGround.OTHER);
        assertThat(SanctionGrounds.of("REPEATED_SUSPENSION")).isEqualTo(TerminationGround.OTHER);
    }

    @org.junit.jupiter.api.Test
    void theConfirmedCategoryDecidesBeforeTheWording_AUD21() {
        assertThat(SanctionGrounds.of(cn.pharmacyclaims.common.events.ViolationAlert.BehaviourType.CASH_OUT, "third confirmed case"))
                .isEqualTo(TerminationGround.CASHING_OUT);
        assertThat(SanctionGrounds.of(cn.pharmacyclaims.common.events.ViolationAlert.BehaviourType.STOCK_MISMATCH, null))
                .isEqualTo(TerminationGround.GOODS_SWAPPING);
        assertThat(SanctionGrounds.of(cn.pharmacyclaims.common.events.ViolationAlert.BehaviourType.IMPERSONATION, "forged prescriptions"))
                .isEqualTo(TerminationGround.FORGED_RECORDS);
        assertThat(SanctionGrounds.of(null, "third confirmed case")).isEqualTo(TerminationGround.OTHER);
    }
}
