package cn.pharmacyclaims.common.security;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HexFormat;

/**
 * SEC-01 request signature, exactly as POS-API.md §1 defines it:
 * Base64(HMAC-SHA256(secret, METHOD \n PATH \n X-Timestamp \n X-Nonce \n hex(SHA-256(body)))).
 * Used by the gateway to verify, and by the POS client, load generator and tests to sign.
 */
public final class PosSignature {
    private PosSignature() {
    }

    public static final String HEADER_TERMINAL = "X-Terminal-Id";
    public static final String HEADER_TIMESTAMP = "X-Timestamp";
    public static final String HEADER_NONCE = "X-Nonce";
    public static final String HEADER_SIGNATURE = "X-Signature";

    public static String sign(String secret, String method, String path, String timestamp, String nonce, byte[] body) {
        String canonical = method.toUpperCase() + "\n" + path + "\n" + timestamp + "\n" + nonce + "\n" + sha256Hex(body);
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return Base64.getEncoder().encodeToString(mac.doFinal(canonical.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Constant-time comparison, so a forger learns nothing from response timing. */
    public static boolean verify(String secret, String method, String path, String timestamp, String nonce, byte[] body,
                                 String signature) {
        if (signature == null) {
            return false;
        }
        byte[] expected = sign(secret, method, path, timestamp, nonce, body).getBytes(StandardCharsets.US_ASCII);
        return MessageDigest.isEqual(expected, signature.getBytes(StandardCharsets.US_ASCII));
    }

    public static String sha256Hex(byte[] body) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body == null ? new byte[0] : body));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
