package cn.pharmacyclaims.gateway.signature;

import cn.pharmacyclaims.common.security.PosSignature;
import org.junit.jupiter.api.Test;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HexFormat;

import static org.assertj.core.api.Assertions.assertThat;

/** SEC-01: the canonical string of POS-API.md "Request signing", recomputed here without PosSignature. */
class PosSignatureVectorTest {
    private static final String SECRET = "terminal-secret-for-vector";
    private static final byte[] BODY = "{\"msgId\":\"P44010500001202611231015000001\"}".getBytes(StandardCharsets.UTF_8);
    private static final String TS = "2026-11-23T10:15:00+08:00";
    private static final String NONCE = "nonce-0123456789abcdef";

    @Test
    void sec01_signatureIsHmacSha256OverMethodPathTimestampNonceAndBodyHash() throws Exception {
        String bodyHash = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(BODY));
        String canonical = "POST\n/api/v1/settlements\n" + TS + "\n" + NONCE + "\n" + bodyHash;
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        String expected = Base64.getEncoder().encodeToString(mac.doFinal(canonical.getBytes(StandardCharsets.UTF_8)));

        assertThat(PosSignature.sign(SECRET, "POST", "/api/v1/settlements", TS, NONCE, BODY)).isEqualTo(expected);
        // and the same vector computed outside Java (Python hmac), so both sides agree with a third party
        assertThat(expected).isEqualTo("tezOCvdzMYsD5ySGrbkAJUCMhSLc+dZICLQ/PpYtlGA=");
        assertThat(bodyHash).isEqualTo("97267d933dabedde518ee1761af0b967f0493761e92ac617586f7caa230c273a");
    }

    @Test
    void sec01_emptyBodyHashesAsTheEmptyString() {
        assertThat(PosSignature.sha256Hex(new byte[0]))
                .isEqualTo("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    }

    @Test
    void sec01_verifyRejectsAnyChangedPart() {
        String sig = PosSignature.sign(SECRET, "POST", "/api/v1/settlements", TS, NONCE, BODY);
        assertThat(PosSignature.verify(SECRET, "POST", "/api/v1/settlements", TS, NONCE, BODY, sig)).isTrue();
        assertThat(PosSignature.verify(SECRET, "POST", "/api/v1/settlements/preview", TS, NONCE, BODY, sig)).isFalse();
        assertThat(PosSignature.verify(SECRET, "POST", "/api/v1/settlements", TS, NONCE + "x", BODY, sig)).isFalse();
        assertThat(PosSignature.verify(SECRET, "POST", "/api/v1/settlements", TS, NONCE, "{}".getBytes(StandardCharsets.UTF_8), sig)).isFalse();
        assertThat(PosSignature.verify("another-secret", "POST", "/api/v1/settlements", TS, NONCE, BODY, sig)).isFalse();
    }
}
