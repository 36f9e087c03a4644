package cn.pharmacyclaims.gateway.support;

import cn.pharmacyclaims.testinfra.FreePorts;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Executors;

/**
 * A stand-in for settlement-service's query API, on a plain JDK HTTP server (no mock library):
 * {@code S-OK*} and any msgId answer 200 echoing what they were asked (so a test sees the
 * pharmacyCode the gateway forwarded), {@code S-MISSING*} 404, {@code S-BROKEN*} 500, and
 * {@code S-DOWN*} drops the connection without answering, as a crashed service would.
 */
public class FakeSettlementQueryApi implements QuarkusTestResourceLifecycleManager {
    private HttpServer server;

    @Override
    public Map<String, String> start() {
        try {
            int port = FreePorts.next();
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
            server.setExecutor(Executors.newFixedThreadPool(2));
            server.createContext("/api/v1/settlements", FakeSettlementQueryApi::handle);
            server.start();
            return Map.of("quarkus.rest-client.settlement.url", "http://127.0.0.1:" + port);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void handle(HttpExchange ex) throws IOException {
        String path = ex.getRequestURI().getPath();
        Map<String, String> q = query(ex.getRequestURI().getRawQuery());
        String setlId = path.startsWith("/api/v1/settlements/") ? path.substring("/api/v1/settlements/".length()) : null;
        if (setlId != null && setlId.startsWith("S-DOWN")) {
            ex.close();
            return;
        }
        if (setlId != null && setlId.startsWith("S-MISSING")) {
            send(ex, 404, "application/problem+json",
                    "{\"type\":\"about:blank\",\"title\":\"Not found\",\"status\":404,\"detail\":\"no settlement " + setlId + "\"}");
            return;
        }
        if (setlId != null && setlId.startsWith("S-BROKEN")) {
            send(ex, 500, "text/plain", "boom");
            return;
        }
        String msgId = q.get("msgId");
        send(ex, 200, "application/json", "{\"setlId\":" + (setlId == null ? "\"S-BY-MSG\"" : "\"" + setlId + "\"")
                + ",\"msgId\":" + (msgId == null ? "null" : "\"" + msgId + "\"")
                + ",\"status\":\"SETTLED\",\"pharmacyCode\":\"" + q.get("pharmacyCode") + "\"}");
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> m = new HashMap<>();
        if (raw != null) {
            for (String kv : raw.split("&")) {
                int i = kv.indexOf('=');
                if (i > 0) {
                    m.put(kv.substring(0, i), URLDecoder.decode(kv.substring(i + 1), StandardCharsets.UTF_8));
                }
            }
        }
        return m;
    }

    private static void send(HttpExchange ex, int status, String type, String body) throws IOException {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().add("Content-Type", type);
        ex.sendResponseHeaders(status, b.length);
        ex.getResponseBody().write(b);
        ex.close();
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop(0);
        }
    }
}
