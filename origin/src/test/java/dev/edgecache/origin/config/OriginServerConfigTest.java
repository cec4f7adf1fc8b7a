package dev.edgecache.origin.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.edgecache.common.config.ConfigException;
import dev.edgecache.common.config.YamlConfigLoader;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OriginServerConfigTest {
    private final YamlConfigLoader loader = new YamlConfigLoader(Map.of("EDGE_ADMIN_TOKEN", "s3cret")::get);

    private OriginServerConfig parse(String yaml) {
        return loader.parse("origin.yaml", yaml, OriginServerConfig.class);
    }

    @Test
    void emptySectionsGetTheDocumentedDefaults() {
        OriginServerConfig c = parse("seed-demo: false\n");
        assertThat(c.listen().toString()).isEqualTo("127.0.0.1:8081");
        assertThat(c.data()).isEqualTo(Path.of("data/origin"));
        assertThat(c.database().url()).isEqualTo("jdbc:sqlite:data/origin/blog.db");
        assertThat(c.edge().adminUrl().toString()).isEqualTo("http://127.0.0.1:9090");
        assertThat(c.edge().purgeUri().toString()).isEqualTo("http://127.0.0.1:9090/purge");
        assertThat(c.edge().adminToken()).isEmpty();
        assertThat(c.renderers()).containsExactly(Map.entry("/**", "blog"));
        assertThat(c.passwordHashing().iterations()).isEqualTo(600_000);
        assertThat(c.sessions().ttl()).isEqualTo(Duration.ofDays(14));
        assertThat(c.loginLimits().perAccount()).isEqualTo(5);
        assertThat(c.maxRequestSize().bytes()).isEqualTo(4L << 20);
        assertThat(c.preview().secret()).isEmpty();
        assertThat(c.preview().ttl()).isEqualTo(Duration.ofDays(7));
    }

    @Test
    void shippedConfigLoadsWithTheTokenFromTheEnvironment() {
        OriginServerConfig c = loader.load(Path.of("../conf/origin.yaml"), OriginServerConfig.class);
        assertThat(c.edge().adminToken()).isEqualTo("s3cret");
        assertThat(c.seedDemo()).isTrue();
        assertThat(List.copyOf(c.renderers().keySet())).containsExactly("/docs/**", "/**");
        assertThat(c.settingsOf("docs")).containsEntry("root", "origin/docs");
    }

    @Test
    void catchAllBlogRouteIsAppendedAfterConfiguredRoutes() {
        OriginServerConfig c = parse("renderers:\n  /docs/**: docs\n");
        assertThat(List.copyOf(c.renderers().entrySet()))
                .containsExactly(Map.entry("/docs/**", "docs"), Map.entry("/**", "blog"));
    }

    @Test
    void badValuesNameFileLineAndKey() {
        assertThatThrownBy(() -> parse("seed-demo: true\nlisten: nope\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("origin.yaml:2:")
                .hasMessageContaining("listen");
        assertThatThrownBy(() -> parse("password-hashing:\n  iterations: 10\n"))
                .hasMessageStartingWith("origin.yaml:2:")
                .hasMessageContaining("password-hashing.iterations: iterations must be between");
        assertThatThrownBy(() -> parse("edge:\n  retry-min: 5s\n  retry-max: 1s\n"))
                .hasMessageContaining("edge.retry-max");
        assertThatThrownBy(() -> parse("colour: blue\n")).hasMessageContaining("unknown key 'colour'");
        assertThatThrownBy(() -> parse("renderers:\n  docs/**: docs\n")).hasMessageContaining("must start with '/'");
        assertThatThrownBy(() -> parse("database:\n  url: postgres://x\n"))
                .hasMessageContaining("database.url: database url must start with jdbc:");
        assertThatThrownBy(() -> parse("database:\n  url: jdbc:mysql://x/blog\n"))
                .hasMessageContaining("database.url: database url must start with jdbc:sqlite: or jdbc:postgresql:");
        assertThatThrownBy(() -> parse("preview:\n  secret: too-short\n"))
                .hasMessageStartingWith("origin.yaml:2:")
                .hasMessageContaining("preview.secret: preview secret must be empty");
        assertThatThrownBy(() -> parse("preview:\n  ttl: 365d\n")).hasMessageContaining("preview.ttl");
        assertThatThrownBy(() -> parse("database:\n  pool-size: 0\n"))
                .hasMessageStartingWith("origin.yaml:2:")
                .hasMessageContaining("database.pool-size: pool-size must be between 1 and 200");
    }

    @Test
    void aPostgresqlUrlAndAPoolSizeAreTakenAsWritten() {
        OriginServerConfig c =
                parse("database:\n  url: jdbc:postgresql://127.0.0.1:5432/blog?user=edge\n  pool-size: 4\n");
        assertThat(c.database().url()).isEqualTo("jdbc:postgresql://127.0.0.1:5432/blog?user=edge");
        assertThat(c.database().poolSize()).isEqualTo(4);
        assertThat(parse("database:\n  pool-size: 3\n").database())
                .isEqualTo(new DatabaseConfig("jdbc:sqlite:data/origin/blog.db", 3));
        assertThat(parse("seed-demo: false\n").database().poolSize()).isEqualTo(8);
    }
}
