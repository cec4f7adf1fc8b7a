package dev.edgecache.proxy.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** Small HTTP helpers for tests: a JDK client for well-formed calls, a raw socket for malformed ones. */
public final class Http {
    public static final HttpClient CLIENT = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    private Http() {}

    public static HttpResponse<String> get(int port, String path, String... headers) {
        return send(HttpRequest.newBuilder(uri(port, path)).GET(), headers);
    }

    public static HttpResponse<String> head(int port, String path, String... headers) {
        return send(
                HttpRequest.newBuilder(uri(port, path)).method("HEAD", HttpRequest.BodyPublishers.noBody()), headers);
    }

    public static HttpResponse<String> post(int port, String path, String body, String... headers) {
        return send(HttpRequest.newBuilder(uri(port, path)).POST(HttpRequest.BodyPublishers.ofString(body)), headers);
    }

    public static HttpResponse<String> send(HttpRequest.Builder b, String... headers) {
        if (headers.length > 0) b.headers(headers);
        try {
            return CLIENT.send(b.timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public static URI uri(int port, String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    /**
     * Writes {@code request} as is (CRLF line ends are the caller's), then reads until the server closes the
     * connection or {@code readFor} passes with nothing more to read.
     */
    public static RawResult raw(int port, String request, Duration readFor) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 2000);
            s.setSoTimeout((int) readFor.toMillis());
            s.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            s.getOutputStream().flush();
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            InputStream in = s.getInputStream();
            byte[] buf = new byte[8192];
            boolean closed = false;
            try {
                int n;
                while ((n = in.read(buf)) >= 0) got.write(buf, 0, n);
                closed = true;
            } catch (SocketTimeoutException e) {
                // the server kept the connection open
            }
            return new RawResult(got.toString(StandardCharsets.ISO_8859_1), closed);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** What came back on a raw connection, and whether the server closed it. */
    public record RawResult(String text, boolean closedByServer) {
        public String statusLine() {
            int end = text.indexOf("\r\n");
            return end < 0 ? text : text.substring(0, end);
        }

        public int count(String needle) {
            int n = 0;
            for (int i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + 1)) n++;
            return n;
        }
    }
}
