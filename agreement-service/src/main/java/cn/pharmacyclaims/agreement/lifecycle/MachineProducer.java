package cn.pharmacyclaims.agreement.lifecycle;

import cn.pharmacyclaims.agreement.application.ApplicationStateMachine;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** The plain-Java state machines, configured from {@code pc.agreement.*}. */
public class MachineProducer {
    @Produces
    @Singleton
    AgreementStateMachine machine(AgreementConfig config) {
        return new AgreementStateMachine(config.rules());
    }

    @Produces
    @Singleton
    ApplicationStateMachine applications(AgreementConfig config) {
        return new ApplicationStateMachine(new ApplicationStateMachine.Rules(config.application().minMonthsAtAddress(),
                config.application().minPharmacists(), config.deadlineSettings()));
    }
}
