package cn.pharmacyclaims.deploy;

import cn.pharmacyclaims.common.security.PosSignature;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A POS terminal: signs every request as SEC-01 / POS-API.md §1 require and sends it to the
 * gateway. Used by the bundled POS command (pos.sh), the system test and the load generator.
 */
public final class PosClient {
    public static final ZoneId BEIJING = ZoneId.of("Asia/Shanghai");
    private static final DateTimeFormatter MSG_TIME = DateTimeFormatter.ofPattern("yyyyMMddHHmmss");

    public record Terminal(String terminalId, String pharmacyCode, String secret) {
    }

    public record Response(int status, String body, java.util.Optional<String> location) {
    }

    private final HttpClient http;
    private final String baseUrl;
    private final Terminal terminal;
    private final AtomicInteger sequence = new AtomicInteger();

    public PosClient(String baseUrl, Terminal terminal) {
        this.baseUrl = baseUrl;
        this.terminal = terminal;
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    }

    public Terminal terminal() {
        return terminal;
    }

    /** A new msgId (CLM-01): 12-character pharmacy code, yyyyMMddHHmmss (Beijing), 4-digit sequence. */
    public String newMsgId() {
        return terminal.pharmacyCode() + OffsetDateTime.now(BEIJING).format(MSG_TIME)
                + String.format("%04d", Math.floorMod(sequence.getAndIncrement(), 10000));
    }

    private static final DateTimeFormatter ISO_SECONDS = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ssXXX");

    /** Now in Beijing time, ISO-8601 with offset and always with seconds ("2026-11-23T10:15:00+08:00"). */
    public static String now() {
        return OffsetDateTime.now(BEIJING).truncatedTo(ChronoUnit.SECONDS).format(ISO_SECONDS);
    }

    public Response post(String path, String body) {
        return send("POST", path, body, UUID.randomUUID().toString(), now(), null);
    }

    public Response get(String pathAndQuery) {
        return send("GET", pathAndQuery, "", UUID.randomUUID().toString(), now(), null);
    }

    /** Full control, for tests of refusals: a given nonce and timestamp, or a forged signature. */
    public Response send(String method, String pathAndQuery, String body, String nonce, String timestamp,
                         String signatureOverride) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        String path = pathAndQuery.contains("?") ? pathAndQuery.substring(0, pathAndQuery.indexOf('?')) : pathAndQuery;
        String signature = signatureOverride != null ? signatureOverride
                : PosSignature.sign(terminal.secret(), method, path, timestamp, nonce, bytes);
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(baseUrl + pathAndQuery))
                .timeout(Duration.ofSeconds(30))
                .header(PosSignature.HEADER_TERMINAL, terminal.terminalId())
                .header(PosSignature.HEADER_TIMESTAMP, timestamp)
                .header(PosSignature.HEADER_NONCE, nonce)
                .header(PosSignature.HEADER_SIGNATURE, signature);
        if ("POST".equals(method)) {
            b.header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(bytes));
        } else {
            b.GET();
        }
        try {
            HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
            return new Response(r.statusCode(), r.body(), r.headers().firstValue("Location"));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The same signed POST as a curl command line (valid for 5 minutes and one use: SEC-01). */
    public String curl(String path, String body) {
        String nonce = UUID.randomUUID().toString();
        String ts = now();
        String sig = PosSignature.sign(terminal.secret(), "POST", path, ts, nonce, body.getBytes(StandardCharsets.UTF_8));
        return "curl -s -X POST '" + baseUrl + path + "' \\\n"
                + "  -H 'Content-Type: application/json' \\\n"
                + "  -H '" + PosSignature.HEADER_TERMINAL + ": " + terminal.terminalId() + "' \\\n"
                + "  -H '" + PosSignature.HEADER_TIMESTAMP + ": " + ts + "' \\\n"
                + "  -H '" + PosSignature.HEADER_NONCE + ": " + nonce + "' \\\n"
                + "  -H '" + PosSignature.HEADER_SIGNATURE + ": " + sig + "' \\\n"
                + "  --data '" + body + "'";
    }
}
