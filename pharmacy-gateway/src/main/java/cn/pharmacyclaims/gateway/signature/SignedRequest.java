package cn.pharmacyclaims.gateway.signature;

/**
 * What SEC-01 signs: the method, the raw path without the query string, the four headers, and
 * the exact body bytes as received (the signature covers bytes, not a re-serialised object).
 */
public record SignedRequest(String method, String path, String terminalId, String timestamp, String nonce,
                            String signature, byte[] body) {
}
