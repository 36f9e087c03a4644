package cn.pharmacyclaims.deploy;

import cn.pharmacyclaims.common.json.Json;
import cn.pharmacyclaims.testinfra.DevTokens;
import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

/** Staff calls (reference-data imports, terminal registration) with a development token. */
public final class AdminClient {
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String token;

    public AdminClient(String user, String... roles) {
        this.token = DevTokens.mint(user, roles);
    }

    public String token() {
        return token;
    }

    public JsonNode post(String url, Object body) {
        String json = body instanceof String s ? s : Json.write(body);
        HttpRequest req = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(120))
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build();
        try {
            HttpResponse<String> r = http.send(req, HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() / 100 != 2) {
                throw new IllegalStateException("POST " + url + " answered " + r.statusCode() + ": " + r.body());
            }
            return r.body().isBlank() ? null : Json.MAPPER.readTree(r.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Imports rows in batches so a city-sized registry does not become one giant request. */
    public void importInBatches(String url, List<?> rows, int batch) {
        for (int i = 0; i < rows.size(); i += batch) {
            post(url, rows.subList(i, Math.min(rows.size(), i + batch)));
        }
    }
}
