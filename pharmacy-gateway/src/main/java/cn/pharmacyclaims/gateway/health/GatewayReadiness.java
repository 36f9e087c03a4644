package cn.pharmacyclaims.gateway.health;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** {@code /q/health/ready}: DOWN until {@link GatewayState#ready()}. */
@Readiness
@ApplicationScoped
public class GatewayReadiness implements HealthCheck {
    private final GatewayState state;

    public GatewayReadiness(GatewayState state) {
        this.state = state;
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("pos-gateway")
                .status(state.ready())
                .withData("instanceId", state.instanceId())
                .withData("terminalRegistryCaughtUp", state.registryCaughtUp())
                .withData("terminals", state.terminals())
                .withData("repliesAssigned", state.repliesAssigned())
                .withData("commandPartitionsKnown", state.commandPartitionsKnown())
                .build();
    }
}
