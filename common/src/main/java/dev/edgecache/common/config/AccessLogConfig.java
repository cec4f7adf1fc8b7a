package dev.edgecache.common.config;

import static dev.edgecache.common.config.InvalidValueException.require;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The edge's {@code access-log:} section (issue 10): one line per reader request, written by a background thread.
 *
 * @param format {@code off} (default), {@code combined} (the Apache/nginx combined format followed by the edge's
 *     own fields) or {@code json} (one object per line)
 * @param path the file (default {@code logs/access.log}); rotated daily and at {@code max-file-size}, old files
 *     gzipped and kept {@code max-history} days
 * @param maxFileSize size at which the file is rotated within a day (default 100MiB)
 * @param maxHistory days of rotated files kept (default 14)
 */
public record AccessLogConfig(
        @Nullable Format format,
        @Nullable Path path,
        @Nullable DataSize maxFileSize,
        @Nullable Integer maxHistory) {
    public static final Path DEFAULT_PATH = Path.of("logs/access.log");

    public AccessLogConfig {
        if (format == null) format = Format.OFF;
        if (path == null) path = DEFAULT_PATH;
        if (maxFileSize == null) maxFileSize = DataSize.ofMebibytes(100);
        if (maxHistory == null) maxHistory = 14;
        require(maxFileSize.bytes() >= 1024, "max-file-size", "max-file-size must be at least 1KiB");
        require(maxHistory >= 1, "max-history", "max-history must be at least 1 (days)");
    }

    @Override
    public Format format() {
        return Objects.requireNonNull(format); // defaulted in the constructor
    }

    @Override
    public Path path() {
        return Objects.requireNonNull(path); // defaulted in the constructor
    }

    @Override
    public DataSize maxFileSize() {
        return Objects.requireNonNull(maxFileSize); // defaulted in the constructor
    }

    @Override
    public Integer maxHistory() {
        return Objects.requireNonNull(maxHistory); // defaulted in the constructor
    }

    public static AccessLogConfig defaults() {
        return new AccessLogConfig(null, null, null, null);
    }

    /** How each line is written. */
    public enum Format {
        OFF,
        COMBINED,
        JSON;

        /** YAML 1.1 reads a bare {@code off} as the boolean false, so that spelling is accepted too. */
        @JsonCreator
        public static Format of(String text) {
            if (text.equals("false")) return OFF;
            for (Format f : values()) {
                if (f.configName().equals(text)) return f;
            }
            throw new IllegalArgumentException("format must be off, combined or json, got '" + text + "'");
        }

        @JsonValue
        public String configName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }
}
