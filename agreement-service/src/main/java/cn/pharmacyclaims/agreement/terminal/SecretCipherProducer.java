package cn.pharmacyclaims.agreement.terminal;

import cn.pharmacyclaims.common.security.SecretCipher;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * SEC-01: terminal secrets are encrypted with the key the gateway also holds
 * ({@code pc.terminal-secret-key}); the development default must be replaced in production.
 */
public class SecretCipherProducer {
    @Produces
    @Singleton
    SecretCipher cipher(@ConfigProperty(name = "pc.terminal-secret-key", defaultValue = "dev-terminal-secret-key-change-me") String key) {
        return new SecretCipher(key);
    }
}
