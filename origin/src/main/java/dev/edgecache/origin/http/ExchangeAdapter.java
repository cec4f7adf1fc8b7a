package dev.edgecache.origin.http;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.edgecache.origin.RejectedException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Adapts the JDK {@link com.sun.net.httpserver.HttpServer} to a {@link Handler}: reads the request (refusing bodies
 * over the limit with 413 before reading them), calls the handler, maps exceptions through {@link ErrorPages}, adds
 * the security headers every response carries, and writes the response. One call per exchange, on a virtual
 * thread; the exchange is closed here and nowhere else.
 */
public final class ExchangeAdapter implements HttpHandler {
    private static final Logger log = LoggerFactory.getLogger(ExchangeAdapter.class);
    private static final Logger access = LoggerFactory.getLogger("dev.edgecache.origin.access");
    private static final String CSP = "default-src 'self'; img-src 'self' https: data:; style-src 'self'; "
            + "script-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    private static final String MALFORMED_QUERY = "%";

    private final Handler handler;
    private final ErrorPages errors;
    private final int maxBody;

    public ExchangeAdapter(Handler handler, ErrorPages errors, int maxBody) {
        this.handler = handler;
        this.errors = errors;
        this.maxBody = maxBody;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        long start = System.nanoTime();
        try (exchange) {
            Request request = read(exchange);
            Response response = respond(request, exchange);
            write(exchange, request, response);
            access.debug(
                    "access method={} path={} status={} bytes={} took={}ms",
                    request.method(),
                    request.path(),
                    response.status(),
                    response.body().length,
                    (System.nanoTime() - start) / 1_000_000);
        }
    }

    private Response respond(Request request, HttpExchange exchange) {
        try {
            long declared = declaredLength(exchange);
            if (request.query().containsKey(MALFORMED_QUERY)) {
                throw RejectedException.badRequest("malformed query string");
            }
            if (declared > maxBody || request.body().length > maxBody) {
                throw new RejectedException(413, "request body is larger than " + maxBody + " bytes");
            }
            return handler.handle(request);
        } catch (RejectedException e) {
            return errors.rejected(request, e);
        } catch (RuntimeException e) {
            log.warn("request.failed method={} path={} error={}", request.method(), request.path(), e.toString(), e);
            return errors.failed(request);
        }
    }

    private Request read(HttpExchange exchange) throws IOException {
        URI uri = exchange.getRequestURI();
        Map<String, List<String>> headers = new HashMap<>();
        for (Map.Entry<String, List<String>> h : exchange.getRequestHeaders().entrySet()) {
            headers.computeIfAbsent(h.getKey().toLowerCase(Locale.ROOT), k -> new ArrayList<>())
                    .addAll(h.getValue());
        }
        byte[] body;
        if (declaredLength(exchange) > maxBody) {
            body = new byte[0]; // refused in respond(); the server drains or closes the connection
        } else {
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readNBytes(maxBody + 1);
            }
        }
        String path = uri.getPath() == null || uri.getPath().isEmpty() ? "/" : uri.getPath();
        // a malformed query becomes the parameter "%" (no real name decodes to it) and is answered 400 by respond()
        Map<String, List<String>> query = Map.of();
        if (uri.getRawQuery() != null) {
            try {
                query = FormData.parse(uri.getRawQuery()).fields();
            } catch (RejectedException e) {
                query = Map.of(MALFORMED_QUERY, List.of());
            }
        }
        InetSocketAddress peer = exchange.getRemoteAddress();
        String remote = peer.getAddress() == null
                ? peer.getHostString()
                : peer.getAddress().getHostAddress();
        return new Request(exchange.getRequestMethod().toUpperCase(Locale.ROOT), path, query, headers, body, remote);
    }

    private static long declaredLength(HttpExchange exchange) {
        String value = exchange.getRequestHeaders().getFirst("Content-Length");
        if (value == null) return -1;
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static void write(HttpExchange exchange, Request request, Response response) throws IOException {
        Headers out = exchange.getResponseHeaders();
        for (Response.HeaderField h : response.headers()) out.add(h.name(), h.value());
        out.set("X-Content-Type-Options", "nosniff");
        out.set("Referrer-Policy", "same-origin");
        if (response.header("Content-Type").orElse("").startsWith("text/html")) {
            out.set("Content-Security-Policy", CSP);
        }
        int status = response.status();
        boolean noBody = request.method().equals("HEAD") || status == 204 || status == 304;
        if (noBody) {
            if (request.method().equals("HEAD") && status != 204 && status != 304) {
                out.set("Content-Length", Integer.toString(response.body().length));
            }
            exchange.sendResponseHeaders(status, -1);
            return;
        }
        byte[] body = response.body();
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            try (OutputStream os = exchange.getResponseBody()) {
                os.write(body);
            }
        }
    }
}
