package cn.pharmacyclaims.gateway.config;

import jakarta.inject.Singleton;

import java.util.UUID;

/**
 * This gateway instance's address for replies: settlement answers on {@code gateway.replies} with
 * {@code replyTo} = this id, and only this instance completes the waiting POS call.
 */
@Singleton
public class InstanceId {
    private final String value;

    public InstanceId(GatewayConfig config) {
        this.value = config.instanceId().filter(s -> !s.isBlank()).orElseGet(() -> UUID.randomUUID().toString());
    }

    public String value() {
        return value;
    }

    /**
     * A Kafka consumer group that no other instance shares, even when two instances were given
     * the same instance id by mistake: each instance must read every partition itself.
     */
    public String uniqueGroup(String purpose) {
        return "pharmacy-gateway-" + purpose + "-" + value + "-" + UUID.randomUUID().toString().substring(0, 8);
    }
}
