package dev.edgecache.e2e;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Free TCP ports on 127.0.0.1 for servers that run in another process and are wired to each other before they
 * start (the origin needs the edge's admin URL, the edge the origin's URL), so neither can listen on port 0.
 *
 * <p>The ports come from below the kernel's ephemeral range ({@code ip_local_port_range}): a port from that range,
 * released here, can become the local port of any outgoing connection on the machine before the child process
 * binds it (seen: "Address already in use" while other builds ran). Below it, only another listening server can
 * take one, and every port is checked free by binding it, all held until each is chosen.
 */
final class LoopbackPorts {
    private static final Path EPHEMERAL_RANGE = Path.of("/proc/sys/net/ipv4/ip_local_port_range");
    private static final int LOWEST = 10_000;

    private LoopbackPorts() {}

    static List<Integer> free(int count) throws IOException {
        int below = ephemeralLow();
        List<ServerSocket> sockets = new ArrayList<>();
        try {
            List<Integer> ports = new ArrayList<>();
            for (int attempt = 0; ports.size() < count && attempt < 1_000; attempt++) {
                int port = ThreadLocalRandom.current().nextInt(LOWEST, below);
                try {
                    ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress());
                    sockets.add(socket);
                    ports.add(port);
                } catch (IOException taken) {
                    // another server listens there: try another port
                }
            }
            if (ports.size() < count) throw new IOException("no " + count + " free ports in " + LOWEST + "-" + below);
            return List.copyOf(ports);
        } finally {
            for (ServerSocket socket : sockets) socket.close();
        }
    }

    /** The first ephemeral port (32768 on Linux by default). */
    private static int ephemeralLow() {
        try {
            int low = Integer.parseInt(Files.readString(EPHEMERAL_RANGE).trim().split("\\s+")[0]);
            return Math.max(LOWEST + 1_000, low);
        } catch (IOException | RuntimeException e) {
            return 32_768;
        }
    }
}
