package cn.pharmacyclaims.agreement.lifecycle;

import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** The plain-Java state machine, configured from {@code pc.agreement.*}. */
public class MachineProducer {
    @Produces
    @Singleton
    AgreementStateMachine machine(AgreementConfig config) {
        return new AgreementStateMachine(config.rules());
    }
}
