package dev.edgecache.proxy.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/** Admin API calls with the test token. */
public final class Admin {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final int port;

    public Admin(int port) {
        this.port = port;
    }

    public HttpResponse<String> post(String path, String json) {
        return Http.send(
                HttpRequest.newBuilder(Http.uri(port, path)).POST(HttpRequest.BodyPublishers.ofString(json)),
                "Authorization",
                "Bearer " + TestEdge.TOKEN,
                "Content-Type",
                "application/json");
    }

    public HttpResponse<String> get(String path) {
        return Http.get(port, path, "Authorization", "Bearer " + TestEdge.TOKEN);
    }

    public static JsonNode json(HttpResponse<String> r) {
        try {
            return JSON.readTree(r.body());
        } catch (IOException e) {
            throw new UncheckedIOException("not JSON (" + r.statusCode() + "): " + r.body(), e);
        }
    }

    public JsonNode postJson(String path, String json) {
        return json(post(path, json));
    }

    public JsonNode getJson(String path) {
        return json(get(path));
    }
}
