package dev.edgecache.e2e;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;

/**
 * Free TCP ports on 127.0.0.1 for servers that run in another process and cannot report a port-0 choice back.
 * All sockets are held open until every port is chosen, so the ports are distinct; another program could still
 * take one before the child process binds it, which is rare enough on a test machine (Zuul's
 * {@code findAvailableTcpPorts} makes the same trade).
 */
final class LoopbackPorts {
    private LoopbackPorts() {}

    static List<Integer> free(int count) throws IOException {
        List<ServerSocket> sockets = new ArrayList<>();
        try {
            List<Integer> ports = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                sockets.add(socket);
                ports.add(socket.getLocalPort());
            }
            return List.copyOf(ports);
        } finally {
            for (ServerSocket socket : sockets) socket.close();
        }
    }
}
