package dev.edgecache.common.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code store.min-free-space} (issue 8.6): default, parsing, and the three-argument constructor kept. */
class StoreConfigTest {
    private static StoreConfig parse(String storeYaml) {
        String yaml = """
                origin:
                  url: http://127.0.0.1:8081
                store:
                %s
                routes:
                  - {match: /a, mode: pass}
                """.formatted(storeYaml.indent(2));
        return new YamlConfigLoader(Map.<String, String>of()::get)
                .parse("edge.yaml", yaml, EdgeConfig.class)
                .store();
    }

    @Test
    void minFreeSpaceDefaultsTo64MiBAndParsesSizes() {
        assertThat(parse("path: data/x").minFreeSpace()).isEqualTo(DataSize.ofMebibytes(64));
        assertThat(parse("min-free-space: 1GiB").minFreeSpace().bytes()).isEqualTo(1L << 30);
        assertThat(parse("min-free-space: 0B").minFreeSpace().bytes()).isZero();
        assertThat(new StoreConfig(Path.of("d"), null, null).minFreeSpace())
                .isEqualTo(StoreConfig.DEFAULT_MIN_FREE_SPACE);
        assertThat(parse("min-free-space: 8MiB").withPath(Path.of("other")).minFreeSpace())
                .isEqualTo(DataSize.ofMebibytes(8));
    }

    @Test
    void rocksDbMemoryKeysDefaultTo32MiBAndParse() {
        StoreConfig defaults = parse("path: data/x");
        assertThat(defaults.diskCache()).isEqualTo(DataSize.ofMebibytes(32));
        assertThat(defaults.writeBuffers()).isEqualTo(DataSize.ofMebibytes(32));
        StoreConfig set = parse("disk-cache: 1GiB\nwrite-buffers: 8MiB");
        assertThat(set.diskCache().bytes()).isEqualTo(1L << 30);
        assertThat(set.writeBuffers().bytes()).isEqualTo(8L << 20);
        assertThat(parse("disk-cache: 0B").diskCache().bytes()).isZero();
        assertThat(set.withPath(Path.of("other")).diskCache()).isEqualTo(set.diskCache());
        assertThat(new StoreConfig(Path.of("d"), null, null, null).writeBuffers())
                .isEqualTo(StoreConfig.DEFAULT_WRITE_BUFFERS);
    }

    @Test
    void tooSmallWriteBuffersAreRefusedWithTheKey() {
        assertThatThrownBy(() -> parse("write-buffers: 1MiB"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("write-buffers")
                .hasMessageContaining("edge.yaml");
    }

    @Test
    void aBadSizeNamesTheKey() {
        assertThatThrownBy(() -> parse("min-free-space: lots"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("min-free-space");
    }
}
