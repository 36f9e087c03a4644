package cn.pharmacyclaims.gateway.signature;

import cn.pharmacyclaims.common.security.PosSignature;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** SEC-01: the gateway's own signature check agrees with PosSignature (the contract's reference) on every input. */
class RequestSignatureTest {

    @Test
    void sec01_agreesWithPosSignatureForSignedForgedAndTamperedRequests() {
        Random random = new Random(11);
        for (int i = 0; i < 2_000; i++) {
            byte[] body = new byte[random.nextInt(3) == 0 ? 0 : random.nextInt(5_000)];
            random.nextBytes(body);
            String secret = "s" + random.nextLong() + (i % 7 == 0 ? "密钥" : "");
            String method = i % 2 == 0 ? "POST" : "get";
            String path = "/api/v1/settlements/" + i;
            String ts = "2026-11-23T10:15:00+08:00";
            String nonce = "nonce-" + random.nextLong();
            String good = PosSignature.sign(secret, method, path, ts, nonce, body);
            String hash = RequestSignature.bodyHash(body);

            assertThat(hash).isEqualTo(PosSignature.sha256Hex(body));
            assertThat(RequestSignature.matches(secret, method, path, ts, nonce, hash, good)).isTrue();
            for (String candidate : new String[]{good, good.substring(1), good + "=", "x" + good.substring(1), "", "签名", null,
                    PosSignature.sign(secret + "x", method, path, ts, nonce, body),
                    PosSignature.sign(secret, method, path + "x", ts, nonce, body),
                    PosSignature.sign(secret, method, path, ts, nonce + "x", body)}) {
                assertThat(RequestSignature.matches(secret, method, path, ts, nonce, hash, candidate))
                        .isEqualTo(PosSignature.verify(secret, method, path, ts, nonce, body, candidate));
            }
        }
        assertThat(RequestSignature.bodyHash(null)).isEqualTo(PosSignature.sha256Hex(new byte[0]));
        assertThat(RequestSignature.bodyHash("{}".getBytes(StandardCharsets.UTF_8))).isEqualTo(PosSignature.sha256Hex("{}".getBytes(StandardCharsets.UTF_8)));
    }
}
