package dev.edgecache.common.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ClusterConfigTest {
    private final YamlConfigLoader loader = new YamlConfigLoader(Map.of("REDIS_PASSWORD", "pw", "CT", "s3cr3t")::get);

    private EdgeConfig parse(String yaml) {
        return loader.parse("edge.yaml", "origin: {url: \"http://127.0.0.1:8081\"}\n" + yaml, EdgeConfig.class);
    }

    @Test
    void noClusterSectionIsASingleNode() {
        assertThat(parse("").cluster()).isNull();
    }

    @Test
    void clusterSectionBindsWithDefaultsAndEnvironment() {
        ClusterConfig c = parse("""
                cluster:
                  node-id: edge-a
                  redis: redis://:${REDIS_PASSWORD}@127.0.0.1:6379/0
                  token: ${CT}
                  peer:
                    listen: 10.0.0.5:7080
                """).cluster();
        assertThat(c).isNotNull();
        assertThat(c.nodeId()).isEqualTo("edge-a");
        assertThat(c.redis()).isEqualTo("redis://:pw@127.0.0.1:6379/0");
        assertThat(c.token()).isEqualTo("s3cr3t");
        assertThat(c.peer().listen()).isEqualTo(HostPort.parse("10.0.0.5:7080"));
        assertThat(c.toString()).doesNotContain("pw").doesNotContain("s3cr3t").contains("redis://:***@127.0.0.1");

        ClusterConfig d = parse("cluster:\n  redis: redis-sentinel://127.0.0.1:26379/0#mymaster\n")
                .cluster();
        assertThat(d).isNotNull();
        assertThat(d.nodeId()).isNotBlank();
        assertThat(d.peer().listen()).isEqualTo(ClusterConfig.Peer.DEFAULT_LISTEN);
        assertThat(d.token()).isEmpty();
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "cluster:\\n  node-id: edge-a|edge.yaml:2:|cluster.redis: cluster.redis is required",
                "cluster:\\n  redis: http://127.0.0.1:6379|edge.yaml:3:|cluster.redis: expected a redis://",
                "cluster:\\n  redis: redis://127.0.0.1:6379\\n  node-id: 'a b'|edge.yaml:4:|cluster.node-id: node-id must match",
                "cluster:\\n  redis: redis://127.0.0.1:6379\\n  peer: {listen: 0.0.0.0:7080}|edge.yaml:2:|cluster.token: cluster.peer.listen 0.0.0.0:7080 is not a loopback address",
                "cluster:\\n  redis: redis://127.0.0.1:6379\\n  peer: {listen: nope}|edge.yaml:4:|cluster.peer.listen",
                "cluster:\\n  redis: redis://127.0.0.1:6379\\n  nodes: 3|edge.yaml:4:|cluster.nodes: unknown key 'nodes'",
            })
    void badClusterSettingsNameFileLineAndKey(String yaml, String location, String message) {
        assertThatThrownBy(() -> parse(yaml.replace("\\n", "\n")))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith(location)
                .hasMessageContaining(message);
    }
}
