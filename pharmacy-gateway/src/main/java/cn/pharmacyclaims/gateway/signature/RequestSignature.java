package cn.pharmacyclaims.gateway.signature;

import cn.pharmacyclaims.common.security.PosSignature;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HexFormat;

/**
 * SEC-01's signature, computed exactly as {@link PosSignature} defines it (POS-API.md "Request
 * signing"), for the gateway's hot path: the body's SHA-256 is computed once and kept (it is also
 * the command's {@code bodyHash}, CLM-01), and the digest and MAC engines are reused per thread
 * instead of being looked up from the security providers on every call. The comparison stays
 * constant-time.
 */
public final class RequestSignature {
    private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(() -> engine(() -> MessageDigest.getInstance("SHA-256")));
    private static final ThreadLocal<Mac> HMAC = ThreadLocal.withInitial(() -> engine(() -> Mac.getInstance("HmacSHA256")));

    private RequestSignature() {
    }

    /** hex(SHA-256(body)), as PosSignature.sha256Hex. */
    public static String bodyHash(byte[] body) {
        MessageDigest sha = SHA256.get();
        sha.reset();
        return HexFormat.of().formatHex(sha.digest(body == null ? new byte[0] : body));
    }

    /** Whether {@code signature} is Base64(HMAC-SHA256(secret, METHOD\nPATH\nTIMESTAMP\nNONCE\nbodyHash)). */
    public static boolean matches(String secret, String method, String path, String timestamp, String nonce, String bodyHash,
                                  String signature) {
        if (signature == null) {
            return false;
        }
        String canonical = method.toUpperCase() + "\n" + path + "\n" + timestamp + "\n" + nonce + "\n" + bodyHash;
        Mac mac = HMAC.get();
        try {
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        } catch (InvalidKeyException e) {
            throw new IllegalStateException(e);
        }
        byte[] expected = Base64.getEncoder().encode(mac.doFinal(canonical.getBytes(StandardCharsets.UTF_8)));
        return MessageDigest.isEqual(expected, signature.getBytes(StandardCharsets.US_ASCII));
    }

    private interface Engine<T> {
        T get() throws GeneralSecurityException;
    }

    private static <T> T engine(Engine<T> e) {
        try {
            return e.get();
        } catch (GeneralSecurityException ex) {
            throw new IllegalStateException(ex);
        }
    }
}
