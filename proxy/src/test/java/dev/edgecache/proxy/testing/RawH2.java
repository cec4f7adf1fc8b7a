package dev.edgecache.proxy.testing;

import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/**
 * A raw HTTP/2 client over TLS for attack tests (issue 13): writes frames exactly as told, including the ones a
 * well-behaved client never sends (rapid resets, CONTINUATION floods), and reads the server's frames back. Header
 * blocks are HPACK literals without indexing, so no encoder state is needed.
 */
public final class RawH2 implements AutoCloseable {
    public static final int DATA = 0;
    public static final int HEADERS = 1;
    public static final int RST_STREAM = 3;
    public static final int SETTINGS = 4;
    public static final int PING = 6;
    public static final int GOAWAY = 7;
    public static final int CONTINUATION = 9;
    public static final int END_STREAM = 0x1;
    public static final int ACK = 0x1;
    public static final int END_HEADERS = 0x4;
    public static final int CANCEL = 0x8;
    public static final int REFUSED_STREAM = 0x7;
    public static final int ENHANCE_YOUR_CALM = 0xb;
    private static final byte[] PREFACE = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

    private final SSLSocket socket;
    private final OutputStream out;
    private final DataInputStream in;
    private boolean hungUp;

    /** One frame read from the server. */
    public record Frame(int type, int flags, int stream, byte[] payload) {
        /** The error code of a GOAWAY or RST_STREAM frame. */
        public int errorCode() {
            int at = type == GOAWAY ? 4 : 0;
            return ((payload[at] & 0xff) << 24)
                    | ((payload[at + 1] & 0xff) << 16)
                    | ((payload[at + 2] & 0xff) << 8)
                    | (payload[at + 3] & 0xff);
        }
    }

    private RawH2(SSLSocket socket) throws IOException {
        this.socket = socket;
        this.out = new BufferedOutputStream(socket.getOutputStream(), 64 * 1024);
        this.in = new DataInputStream(socket.getInputStream());
    }

    /** Connects with ALPN {@code h2} only, sends the preface and an empty SETTINGS frame. */
    public static RawH2 connect(SSLContext context, int port, Duration readTimeout) throws IOException {
        SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket("127.0.0.1", port);
        socket.setSoTimeout((int) readTimeout.toMillis());
        SSLParameters params = socket.getSSLParameters();
        params.setApplicationProtocols(new String[] {"h2"});
        socket.setSSLParameters(params);
        socket.startHandshake();
        if (!"h2".equals(socket.getApplicationProtocol())) {
            socket.close();
            throw new IOException("ALPN did not choose h2: " + socket.getApplicationProtocol());
        }
        RawH2 h2 = new RawH2(socket);
        try {
            h2.out.write(PREFACE);
        } catch (IOException e) {
            socket.close();
            throw e;
        }
        h2.frame(SETTINGS, 0, 0, new byte[0]);
        h2.flush();
        return h2;
    }

    /** An HPACK block for {@code GET https://127.0.0.1{path}}. */
    public static byte[] get(String path) {
        byte[] p = path.getBytes(StandardCharsets.US_ASCII);
        byte[] authority = "127.0.0.1".getBytes(StandardCharsets.US_ASCII);
        byte[] block = new byte[4 + p.length + 2 + authority.length];
        int i = 0;
        block[i++] = (byte) 0x82; // :method GET (static 2)
        block[i++] = (byte) 0x87; // :scheme https (static 7)
        block[i++] = 0x04; // literal without indexing, name :path (static 4)
        block[i++] = (byte) p.length;
        System.arraycopy(p, 0, block, i, p.length);
        i += p.length;
        block[i++] = 0x01; // literal without indexing, name :authority (static 1)
        block[i++] = (byte) authority.length;
        System.arraycopy(authority, 0, block, i, authority.length);
        return block;
    }

    /**
     * Writes one frame. A write that fails because the server hung up is remembered ({@link #hungUp()}), not
     * thrown: attack tests expect the edge to close while they are still writing.
     */
    public void frame(int type, int flags, int stream, byte[] payload) {
        if (hungUp) return;
        int n = payload.length;
        byte[] head = {
            (byte) (n >>> 16),
            (byte) (n >>> 8),
            (byte) n,
            (byte) type,
            (byte) flags,
            (byte) (stream >>> 24),
            (byte) (stream >>> 16),
            (byte) (stream >>> 8),
            (byte) stream
        };
        try {
            out.write(head);
            out.write(payload);
        } catch (IOException e) {
            hungUp = true;
        }
    }

    /** Whether a write failed because the server closed the connection. */
    public boolean hungUp() {
        return hungUp;
    }

    public void rst(int stream, int code) {
        frame(RST_STREAM, 0, stream, new byte[] {
            (byte) (code >>> 24), (byte) (code >>> 16), (byte) (code >>> 8), (byte) code
        });
    }

    public void ping(byte value) {
        frame(PING, 0, 0, new byte[] {value, 0, 0, 0, 0, 0, 0, 0});
    }

    public void flush() {
        if (hungUp) return;
        try {
            out.flush();
        } catch (IOException e) {
            hungUp = true;
        }
    }

    /** The next frame; null when the server closed or reset the connection. */
    public Frame read() throws IOException {
        try {
            int length = in.readUnsignedByte() << 16 | in.readUnsignedByte() << 8 | in.readUnsignedByte();
            int type = in.readUnsignedByte();
            int flags = in.readUnsignedByte();
            int stream = in.readInt() & 0x7fffffff;
            byte[] payload = new byte[length];
            in.readFully(payload);
            return new Frame(type, flags, stream, payload);
        } catch (SocketTimeoutException e) {
            throw e;
        } catch (EOFException e) {
            return null;
        } catch (IOException e) { // a reset (also wrapped by TLS): the server closed with our bytes unread
            return null;
        }
    }

    /**
     * Reads until a frame of {@code type} (returned) or the end of the connection (null); a read timeout (the
     * socket's) fails with {@link java.net.SocketTimeoutException}.
     */
    public Frame readUntil(int type) throws IOException {
        for (Frame f = read(); f != null; f = read()) {
            if (f.type() == type) return f;
        }
        return null;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
