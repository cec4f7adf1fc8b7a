package dev.edgecache.origin.config;

import static dev.edgecache.common.config.InvalidValueException.require;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The origin's {@code password-hashing:} section (PBKDF2-HMAC-SHA256).
 *
 * @param iterations PBKDF2 iterations for new hashes (default {@value #DEFAULT_ITERATIONS}, OWASP 2023); existing
 *     hashes keep their own count and are upgraded at the next successful login
 */
public record PasswordHashingConfig(@Nullable Integer iterations) {
    public static final int DEFAULT_ITERATIONS = 600_000;
    public static final int MIN_ITERATIONS = 1_000;

    public PasswordHashingConfig {
        if (iterations == null) iterations = DEFAULT_ITERATIONS;
        require(
                iterations >= MIN_ITERATIONS && iterations <= 100_000_000,
                "iterations",
                "iterations must be between " + MIN_ITERATIONS + " and 100000000, got " + iterations);
    }

    @Override
    public Integer iterations() {
        return Objects.requireNonNull(iterations); // defaulted in the constructor
    }

    public static PasswordHashingConfig defaults() {
        return new PasswordHashingConfig(null);
    }
}
