package dev.edgecache.ctl;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jspecify.annotations.Nullable;

/**
 * A scripted admin port on 127.0.0.1 and an ephemeral port: records every request and answers canned JSON per
 * {@code "METHOD /path?query"}. A script of several answers is played in order and its last answer repeats, so
 * a deploy can be made to go rendering → active one poll at a time, with no timing involved.
 */
final class FakeAdminServer implements AutoCloseable {
    /** One request as the server saw it. */
    record Request(
            String method,
            String uri,
            String body,
            @Nullable String authorization,
            @Nullable String contentType) {}

    /** One canned answer. */
    record Answer(int status, String body) {}

    private final HttpServer server;
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final Map<String, Deque<Answer>> scripts = new ConcurrentHashMap<>();

    private FakeAdminServer(HttpServer server) {
        this.server = server;
    }

    static FakeAdminServer start() throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        FakeAdminServer fake = new FakeAdminServer(server);
        server.createContext("/", fake::handle);
        server.start();
        return fake;
    }

    /** Scripts {@code call} (e.g. {@code "GET /deploys/v2"}) to answer {@code status} with each body in turn. */
    FakeAdminServer answer(String call, int status, String... bodies) {
        Deque<Answer> script = new ArrayDeque<>();
        for (String body : bodies) script.add(new Answer(status, body));
        scripts.put(call, script);
        return this;
    }

    /** Adds answers with their own statuses after those already scripted for {@code call}. */
    FakeAdminServer then(String call, int status, String body) {
        scripts.computeIfAbsent(call, c -> new ArrayDeque<>()).add(new Answer(status, body));
        return this;
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    List<Request> requests() {
        return List.copyOf(requests);
    }

    List<Request> requests(String method, String uri) {
        return requests.stream()
                .filter(r -> r.method().equals(method) && r.uri().equals(uri))
                .toList();
    }

    private void handle(HttpExchange exchange) throws IOException {
        String body;
        try (InputStream in = exchange.getRequestBody()) {
            body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        String uri = exchange.getRequestURI().toString();
        String method = exchange.getRequestMethod();
        requests.add(new Request(
                method,
                uri,
                body,
                exchange.getRequestHeaders().getFirst("Authorization"),
                exchange.getRequestHeaders().getFirst("Content-Type")));
        Answer answer = next(method + " " + uri);
        byte[] bytes = answer.body().getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(answer.status(), bytes.length == 0 ? -1 : bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private synchronized Answer next(String call) {
        Deque<Answer> script = scripts.get(call);
        if (script == null || script.isEmpty()) {
            return new Answer(404, "{\"error\":\"fake admin port has no answer for " + call + "\"}");
        }
        return script.size() > 1 ? script.poll() : script.peek();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
