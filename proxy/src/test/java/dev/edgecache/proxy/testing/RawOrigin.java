package dev.edgecache.proxy.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An origin written by hand over a loopback {@link ServerSocket}, for tests where the origin misbehaves at the byte
 * level (reads bodies as requests, answers early, sends bytes unasked). Each accepted connection runs the {@link
 * Script} on its own thread; the request lines the script reads are recorded in arrival order.
 */
public final class RawOrigin implements AutoCloseable {
    /** What the origin does with one connection. */
    public interface Script {
        void serve(Connection c) throws IOException;
    }

    private final ServerSocket server;
    private final Script script;
    private final List<String> requestLines = Collections.synchronizedList(new ArrayList<>());
    private final AtomicInteger connections = new AtomicInteger();
    private final List<Socket> open = Collections.synchronizedList(new ArrayList<>());

    public RawOrigin(Script script) {
        this.script = script;
        try {
            server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Thread.ofPlatform().daemon().name("raw-origin-accept").start(this::accept);
    }

    public int port() {
        return server.getLocalPort();
    }

    /** Request lines read so far, e.g. {@code GET /a HTTP/1.1}. */
    public List<String> requestLines() {
        synchronized (requestLines) {
            return List.copyOf(requestLines);
        }
    }

    /** Connections accepted so far. */
    public int connections() {
        return connections.get();
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket s = server.accept();
                open.add(s);
                int index = connections.incrementAndGet();
                Thread.ofPlatform().daemon().name("raw-origin-" + index).start(() -> {
                    try (s) {
                        script.serve(new Connection(s, index));
                    } catch (IOException e) {
                        // the edge closed the connection: the script's business, not an error here
                    }
                });
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        synchronized (open) {
            for (Socket s : open) s.close();
        }
    }

    /** One accepted connection, read one byte at a time so nothing past a request head is consumed unasked. */
    public final class Connection {
        private final Socket socket;
        private final InputStream in;
        private final OutputStream out;
        public final int index;

        Connection(Socket socket, int index) throws IOException {
            this.socket = socket;
            this.in = socket.getInputStream();
            this.out = socket.getOutputStream();
            this.index = index;
        }

        /** Reads a request head (up to the empty line) and records its request line; null at end of stream. */
        public String readHead() throws IOException {
            ByteArrayOutputStream head = new ByteArrayOutputStream();
            int b;
            while ((b = in.read()) >= 0) {
                head.write(b);
                String text = head.toString(StandardCharsets.ISO_8859_1);
                if (text.endsWith("\r\n\r\n")) {
                    requestLines.add(text.substring(0, text.indexOf("\r\n")));
                    return text;
                }
            }
            return null;
        }

        /** Reads exactly {@code n} bytes (a body the script decided to read). */
        public byte[] readBytes(int n) throws IOException {
            return in.readNBytes(n);
        }

        public void write(String text) throws IOException {
            out.write(text.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
        }

        /** Writes a complete keep-alive 200 with {@code body}. */
        public void ok(String body) throws IOException {
            write("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: " + body.length() + "\r\n\r\n"
                    + body);
        }

        /** True when the peer closes the connection within {@code timeout}, discarding whatever it sends. */
        public boolean closedByPeerWithin(Duration timeout) throws IOException {
            socket.setSoTimeout(Math.toIntExact(timeout.toMillis()));
            try {
                byte[] buf = new byte[4096];
                while (in.read(buf) >= 0) {
                    // keep draining until the end of stream
                }
                return true;
            } catch (SocketTimeoutException e) {
                return false;
            }
        }
    }
}
