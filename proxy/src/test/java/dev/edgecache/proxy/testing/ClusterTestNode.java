package dev.edgecache.proxy.testing;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * One node of a test cluster of built-jar edge processes: its config file ({@link TestEdge#clusterNodeYaml}, its store
 * under the test's directory) and, while it runs, its process. It can be killed and started again on the same store.
 * Every process started is added to the test's {@code started} list, which the test closes.
 */
public final class ClusterTestNode {
    public final String id;
    /** The running process; replaced at each {@link #start}. */
    public EdgeProcess process;

    private final Path dir;
    private final Path config;
    private final List<EdgeProcess> started;
    private int runs;

    /**
     * @param originTimeout {@code origin.timeout}, e.g. {@code 5s}
     * @param peerTimeout {@code cluster.peer.timeout}, e.g. {@code 2s}
     */
    public ClusterTestNode(
            Path dir,
            String id,
            int originPort,
            String redisUri,
            String originTimeout,
            String peerTimeout,
            List<EdgeProcess> started)
            throws IOException {
        this.id = id;
        this.dir = dir;
        this.started = started;
        this.config = dir.resolve(id + ".yaml");
        Files.writeString(
                config,
                TestEdge.clusterNodeYaml(
                        originPort, dir.resolve(id + "-store"), id, redisUri, originTimeout, peerTimeout));
    }

    public ClusterTestNode start() throws IOException {
        process = EdgeProcess.start(config, dir.resolve(id + "-" + ++runs + ".log"));
        started.add(process);
        return this;
    }

    public HttpResponse<String> read(String path) {
        return Http.get(process.port, path);
    }

    public String cacheStatus(String path) {
        return read(path).headers().firstValue("Cache-Status").orElse("(none)");
    }

    public Admin admin() {
        return new Admin(process.adminPort);
    }

    /**
     * The state of deploy {@code id} on this node's admin port, or "" while the node has not heard of it (a 404 with
     * no state): deploys reach the other nodes through Redis a moment later, so a poll must wait, not fail.
     */
    public String deployState(String id) {
        return admin().getJson("/deploys/" + id).path("state").asText();
    }

    /** Waits until this node's peer-fill view lists exactly {@code ids} (it logs every change). */
    public void awaitPeers(List<String> ids, Duration wait) {
        String line = "cluster.peers node=" + id + " members=" + String.join(",", ids);
        Await.until(wait, id + " to see " + ids, () -> lastPeersLine().equals(line));
    }

    private String lastPeersLine() {
        String out = process.output();
        int at = out.lastIndexOf("cluster.peers node=");
        if (at < 0) return "";
        int end = out.indexOf('\n', at);
        return (end < 0 ? out.substring(at) : out.substring(at, end)).strip();
    }
}
