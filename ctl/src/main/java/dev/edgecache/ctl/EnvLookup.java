package dev.edgecache.ctl;

import org.jspecify.annotations.Nullable;

/**
 * Reads an environment variable. Injected so that tests can supply {@code EDGE_ADMIN_URL} and
 * {@code EDGE_ADMIN_TOKEN} without touching the real process environment.
 */
@FunctionalInterface
interface EnvLookup {
    /** The value of {@code name}, or null when it is unset. */
    @Nullable
    String get(String name);

    /** The real process environment. */
    static EnvLookup system() {
        return System::getenv;
    }
}
