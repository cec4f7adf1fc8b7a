package dev.edgecache.origin.testing;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A stand-in for the edge's admin port: records every request and answers from a script of statuses (then 200).
 */
public final class FakeAdminServer implements AutoCloseable {
    /** One recorded call. */
    public record Call(String method, String path, Map<String, List<String>> headers, String body, int answered) {
        public String header(String name) {
            List<String> v = headers.get(name);
            return v == null || v.isEmpty() ? null : v.get(0);
        }
    }

    private final HttpServer server;
    private final List<Call> calls = new CopyOnWriteArrayList<>();
    private final ConcurrentLinkedQueue<Integer> script = new ConcurrentLinkedQueue<>();

    public FakeAdminServer() {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/", exchange -> {
            try (exchange) {
                String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
                Integer scripted = script.poll();
                int status = scripted == null ? 200 : scripted;
                calls.add(new Call(
                        exchange.getRequestMethod(),
                        exchange.getRequestURI().getPath(),
                        Map.copyOf(exchange.getRequestHeaders()),
                        body,
                        status));
                byte[] answer = "{\"purged\":0}".getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(status, answer.length);
                exchange.getResponseBody().write(answer);
            }
        });
        server.start();
    }

    /** The next answers, in order; after them every call gets 200. */
    public void answer(Integer... statuses) {
        script.addAll(List.of(statuses));
    }

    public List<Call> calls() {
        return List.copyOf(calls);
    }

    public List<Call> acknowledged() {
        return calls.stream()
                .filter(c -> c.answered() >= 200 && c.answered() < 300)
                .toList();
    }

    public URI uri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
