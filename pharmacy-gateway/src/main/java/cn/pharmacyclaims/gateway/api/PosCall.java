package cn.pharmacyclaims.gateway.api;

import cn.pharmacyclaims.gateway.signature.SignedRequest;
import io.vertx.core.http.HttpServerRequest;

/** One POS call as received: the raw path (no query string, as signed) and the exact body bytes. */
public record PosCall(String method, String path, String contentType, String terminalId, String timestamp,
                      String nonce, String signature, byte[] body) {

    public static PosCall of(HttpServerRequest request, PosHeaders headers, byte[] body) {
        return new PosCall(request.method().name(), request.path(), request.getHeader("Content-Type"),
                headers.terminalId, headers.timestamp, headers.nonce, headers.signature, body == null ? new byte[0] : body);
    }

    public SignedRequest signed() {
        return new SignedRequest(method, path, terminalId, timestamp, nonce, signature, body);
    }

    /** For logs: the claimed terminal id, cut short (it is unauthenticated input). */
    public String terminalForLog() {
        if (terminalId == null) {
            return "-";
        }
        return terminalId.length() > 40 ? terminalId.substring(0, 40) + "…" : terminalId;
    }
}
