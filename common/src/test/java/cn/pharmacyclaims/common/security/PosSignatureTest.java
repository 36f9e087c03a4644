package cn.pharmacyclaims.common.security;

import org.junit.jupiter.api.Test;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** SEC-01: the signature (with reused engines, and with a precomputed body hash) is the POS-API.md formula on every input. */
class PosSignatureTest {

    /** POS-API.md §1, written out with fresh JDK engines: the reference. */
    private static String reference(String secret, String method, String path, String ts, String nonce, byte[] body) throws Exception {
        String hash = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body == null ? new byte[0] : body));
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return Base64.getEncoder().encodeToString(
                mac.doFinal((method.toUpperCase() + "\n" + path + "\n" + ts + "\n" + nonce + "\n" + hash).getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void sec01_agreesWithTheContractFormulaForSignedForgedAndTamperedRequests() throws Exception {
        Random random = new Random(11);
        for (int i = 0; i < 2_000; i++) {
            byte[] body = new byte[random.nextInt(3) == 0 ? 0 : random.nextInt(5_000)];
            random.nextBytes(body);
            String secret = "s" + random.nextLong() + (i % 7 == 0 ? "密钥" : "");
            String method = i % 2 == 0 ? "POST" : "get";
            String path = "/api/v1/settlements/" + i;
            String ts = "2026-11-23T10:15:00+08:00";
            String nonce = "nonce-" + random.nextLong();
            String good = reference(secret, method, path, ts, nonce, body);
            String hash = PosSignature.sha256Hex(body);

            assertThat(PosSignature.sign(secret, method, path, ts, nonce, body)).isEqualTo(good);
            assertThat(PosSignature.verifyHashed(secret, method, path, ts, nonce, hash, good)).isTrue();
            for (String candidate : new String[]{good, good.substring(1), good + "=", "x" + good.substring(1), "", "签名", null,
                    reference(secret + "x", method, path, ts, nonce, body),
                    reference(secret, method, path + "x", ts, nonce, body),
                    reference(secret, method, path, ts, nonce + "x", body)}) {
                boolean expected = good.equals(candidate);
                assertThat(PosSignature.verifyHashed(secret, method, path, ts, nonce, hash, candidate)).isEqualTo(expected);
                assertThat(PosSignature.verify(secret, method, path, ts, nonce, body, candidate)).isEqualTo(expected);
            }
        }
        assertThat(PosSignature.sha256Hex(null)).isEqualTo(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(new byte[0])));
    }
}
