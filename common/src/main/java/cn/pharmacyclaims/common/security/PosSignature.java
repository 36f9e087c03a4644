package cn.pharmacyclaims.common.security;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HexFormat;

/**
 * SEC-01 request signature, exactly as POS-API.md §1 defines it:
 * Base64(HMAC-SHA256(secret, METHOD \n PATH \n X-Timestamp \n X-Nonce \n hex(SHA-256(body)))).
 * Used by the gateway to verify, and by the POS client, load generator and tests to sign.
 *
 * <p>On the gateway's hot path: the body hash is computed once by the caller (it is also the
 * command's {@code bodyHash}, CLM-01) and passed to {@link #verifyHashed}; the digest and MAC
 * engines are reused per thread instead of being looked up from the providers at every call.
 */
public final class PosSignature {
    private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(() -> engine(() -> MessageDigest.getInstance("SHA-256")));
    private static final ThreadLocal<Mac> HMAC = ThreadLocal.withInitial(() -> engine(() -> Mac.getInstance("HmacSHA256")));

    private PosSignature() {
    }

    public static final String HEADER_TERMINAL = "X-Terminal-Id";
    public static final String HEADER_TIMESTAMP = "X-Timestamp";
    public static final String HEADER_NONCE = "X-Nonce";
    public static final String HEADER_SIGNATURE = "X-Signature";

    public static String sign(String secret, String method, String path, String timestamp, String nonce, byte[] body) {
        return new String(signHashed(secret, method, path, timestamp, nonce, sha256Hex(body)), StandardCharsets.US_ASCII);
    }

    /** Constant-time comparison, so a forger learns nothing from response timing. */
    public static boolean verify(String secret, String method, String path, String timestamp, String nonce, byte[] body,
                                 String signature) {
        return verifyHashed(secret, method, path, timestamp, nonce, sha256Hex(body), signature);
    }

    /** As {@link #verify}, with the body's {@link #sha256Hex} already computed. */
    public static boolean verifyHashed(String secret, String method, String path, String timestamp, String nonce, String bodyHash,
                                       String signature) {
        if (signature == null) {
            return false;
        }
        byte[] expected = signHashed(secret, method, path, timestamp, nonce, bodyHash);
        return MessageDigest.isEqual(expected, signature.getBytes(StandardCharsets.US_ASCII));
    }

    public static String sha256Hex(byte[] body) {
        MessageDigest sha = SHA256.get();
        sha.reset();
        return HexFormat.of().formatHex(sha.digest(body == null ? new byte[0] : body));
    }

    private static byte[] signHashed(String secret, String method, String path, String timestamp, String nonce, String bodyHash) {
        String canonical = method.toUpperCase() + "\n" + path + "\n" + timestamp + "\n" + nonce + "\n" + bodyHash;
        Mac mac = HMAC.get();
        try {
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        } catch (InvalidKeyException e) {
            throw new IllegalStateException(e);
        }
        return Base64.getEncoder().encode(mac.doFinal(canonical.getBytes(StandardCharsets.UTF_8)));
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
