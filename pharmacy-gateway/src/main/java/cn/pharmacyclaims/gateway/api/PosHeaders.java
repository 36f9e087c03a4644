package cn.pharmacyclaims.gateway.api;

import cn.pharmacyclaims.common.security.PosSignature;
import jakarta.ws.rs.HeaderParam;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;

/** The SEC-01 headers every POS call carries (POS-API.md "Request signing"), documented once. */
public class PosHeaders {
    @HeaderParam(PosSignature.HEADER_TERMINAL)
    @Parameter(description = "the terminal's id, as registered with its pharmacy", required = true)
    public String terminalId;

    @HeaderParam(PosSignature.HEADER_TIMESTAMP)
    @Parameter(description = "ISO-8601 with offset; within 5 minutes of the gateway's clock", required = true,
            example = "2026-11-23T10:15:00+08:00")
    public String timestamp;

    @HeaderParam(PosSignature.HEADER_NONCE)
    @Parameter(description = "at least 16 characters, never reused by this terminal", required = true)
    public String nonce;

    @HeaderParam(PosSignature.HEADER_SIGNATURE)
    @Parameter(description = "Base64(HMAC-SHA256(secret, METHOD \\n PATH \\n X-Timestamp \\n X-Nonce \\n hex(SHA-256(body)))); "
            + "PATH excludes the query string", required = true)
    public String signature;
}
