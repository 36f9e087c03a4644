package cn.pharmacyclaims.gateway.support;

import cn.pharmacyclaims.gateway.config.GatewayConfig;
import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;

import java.time.Duration;
import java.util.Map;

/** The gateway's typed configuration for plain unit tests: the defaults, with some keys set. */
public final class TestConfig {
    private TestConfig() {
    }

    public static GatewayConfig gateway(Map<String, String> values) {
        SmallRyeConfig config = new SmallRyeConfigBuilder()
                .withMapping(GatewayConfig.class)
                .withConverter(Duration.class, 200, new DurationConverter())   // "5m", "3s", as Quarkus reads them
                .withDefaultValues(values)
                .build();
        return config.getConfigMapping(GatewayConfig.class);
    }
}
