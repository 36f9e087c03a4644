package cn.pharmacyclaims.testinfra;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * Mints RS256 bearer tokens for staff (SEC-02 roles) with the development key pair, for the local
 * run and the system test. Production issues tokens from the agency's identity provider and sets
 * mp.jwt.verify.publickey.location to its key; the services never see this private key.
 */
public final class DevTokens {
    public static final String ISSUER = "pharmacy-claims-dev";

    private DevTokens() {
    }

    public static String mint(String user, String... roles) {
        long now = Instant.now().getEpochSecond();
        String header = "{\"alg\":\"RS256\",\"typ\":\"JWT\"}";
        String groups = List.of(roles).stream().map(r -> "\"" + r + "\"").collect(Collectors.joining(","));
        String payload = "{\"iss\":\"" + ISSUER + "\",\"sub\":\"" + user + "\",\"upn\":\"" + user + "\",\"groups\":[" + groups
                + "],\"iat\":" + now + ",\"exp\":" + (now + 12 * 3600) + ",\"jti\":\"" + UUID.randomUUID() + "\"}";
        String signingInput = b64(header.getBytes(StandardCharsets.UTF_8)) + "." + b64(payload.getBytes(StandardCharsets.UTF_8));
        try {
            Signature s = Signature.getInstance("SHA256withRSA");
            s.initSign(privateKey());
            s.update(signingInput.getBytes(StandardCharsets.US_ASCII));
            return signingInput + "." + b64(s.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String b64(byte[] b) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    private static PrivateKey privateKey() throws GeneralSecurityException {
        try (InputStream in = DevTokens.class.getResourceAsStream("/pharmacy-claims/dev-jwt-private.pem")) {
            String pem = new String(in.readAllBytes(), StandardCharsets.US_ASCII)
                    .replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
            return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(pem)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
