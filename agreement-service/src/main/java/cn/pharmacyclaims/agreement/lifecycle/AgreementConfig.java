package cn.pharmacyclaims.agreement.lifecycle;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Agreement thresholds (DOMAIN.md marks them "config": each pooling region may change them). */
@ConfigMapping(prefix = "pc.agreement")
public interface AgreementConfig {

    /** AGR-09: the Nth suspension within one term of a GENERAL agreement terminates it. */
    @WithDefault("2")
    int maxSuspensionsGeneral();

    /** AGR-09: the same for SPECIAL_DRUG agreements. */
    @WithDefault("3")
    int maxSuspensionsSpecialDrug();

    /** AGR-09: does a suspension the pharmacy asked for count toward the limit? Design choice: no (被中止 = imposed). */
    @WithDefault("false")
    boolean countPharmacyRequestedSuspensions();

    /** AGR-07: longest pharmacy-requested suspension before the agreement ends. */
    @WithDefault("180")
    int requestedSuspensionMaxDays();

    Scheduler scheduler();

    interface Scheduler {
        /** How often due agreements are looked for; "off" disables the timer (tests drive it by hand). */
        @WithDefault("1m")
        String every();

        /** Rows claimed per transaction. */
        @WithDefault("100")
        int batchSize();
    }

    default AgreementStateMachine.Rules rules() {
        return new AgreementStateMachine.Rules(maxSuspensionsGeneral(), maxSuspensionsSpecialDrug(),
                countPharmacyRequestedSuspensions(), requestedSuspensionMaxDays());
    }
}
