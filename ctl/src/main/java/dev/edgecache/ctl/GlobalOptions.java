package dev.edgecache.ctl;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * Options every subcommand takes (a picocli mixin): where the admin port is, the token, the timeout,
 * {@code --json} and {@code --help}. Defaults come from the environment through {@link EnvLookup}, resolved in
 * {@link #target(EnvLookup)} rather than by picocli, so tests need no real environment variables.
 */
final class GlobalOptions {
    static final String ENV_ADMIN_URL = "EDGE_ADMIN_URL";
    static final String ENV_ADMIN_TOKEN = "EDGE_ADMIN_TOKEN";
    static final String ENV_ADMIN_CA = "EDGE_ADMIN_CA";
    /** The admin port's own default listen address (DESIGN §2 {@code admin.listen}). */
    static final String DEFAULT_ADMIN_URL = "http://127.0.0.1:9090";

    static final String DEFAULT_TIMEOUT = "10s";

    // order 91+: in --help these come after each command's own options, which are what a reader looks for
    @Option(
            order = 91,
            names = "--admin-url",
            paramLabel = "URL",
            description = "Admin port base URL (default: $" + ENV_ADMIN_URL + ", else " + DEFAULT_ADMIN_URL + ").")
    @Nullable
    String adminUrl;

    @Option(
            order = 92,
            names = "--token",
            paramLabel = "TOKEN",
            description = "Admin bearer token (default: $" + ENV_ADMIN_TOKEN + "). Flags are visible in ps: "
                    + "prefer the variable or --token-file.")
    @Nullable
    String token;

    @Option(order = 93, names = "--token-file", paramLabel = "FILE", description = "Read the admin token from FILE.")
    @Nullable
    Path tokenFile;

    @Option(
            order = 94,
            names = "--timeout",
            paramLabel = "DURATION",
            defaultValue = DEFAULT_TIMEOUT,
            converter = DurationConverter.class,
            description =
                    "Connect and answer timeout of each admin call, like 500ms or 10s (default: ${DEFAULT-VALUE}).")
    Duration timeout = Duration.ofSeconds(10);

    @Option(
            order = 94,
            names = "--ca",
            paramLabel = "FILE",
            description = "PEM CA bundle to trust for an https:// admin URL (default: $" + ENV_ADMIN_CA
                    + ", else the JDK's trust store).")
    @Nullable
    Path caFile;

    @Option(order = 95, names = "--json", description = "Print the admin port's raw JSON answer instead of text.")
    boolean json;

    @Option(
            order = 96,
            names = {"-h", "--help"},
            usageHelp = true,
            description = "Show this help and exit.")
    boolean help;

    // the command this mixin is part of, injected by picocli; usage errors are reported against it
    @Spec(Spec.Target.MIXEE)
    CommandSpec mixee;

    /** Resolves flags over the environment over the defaults; a bad value is a usage error (exit 2). */
    AdminTarget target(EnvLookup env) {
        return new AdminTarget(baseUrl(env), token(env), timeout, trust(env));
    }

    /** The {@code --ca} bundle, read now so that a bad file is a usage error naming it; null: the JDK's trust. */
    private @Nullable SSLContext trust(EnvLookup env) {
        String fromEnv = env.get(ENV_ADMIN_CA);
        Path file = caFile != null ? caFile : fromEnv != null && !fromEnv.isBlank() ? Path.of(fromEnv.strip()) : null;
        if (file == null) return null;
        String source = caFile != null ? "--ca" : ENV_ADMIN_CA;
        try {
            return CaBundle.read(file);
        } catch (IOException e) {
            throw usage("cannot read " + source + " " + file + ": " + e.getMessage());
        }
    }

    private URI baseUrl(EnvLookup env) {
        String fromEnv = env.get(ENV_ADMIN_URL);
        String source =
                adminUrl != null ? "--admin-url" : fromEnv != null && !fromEnv.isBlank() ? ENV_ADMIN_URL : "default";
        String text = firstNonBlank(adminUrl, fromEnv, DEFAULT_ADMIN_URL).strip();
        return httpBase(text)
                .orElseThrow(() -> usage(
                        source + " must be an http(s) base URL like " + DEFAULT_ADMIN_URL + ", got '" + text + "'"));
    }

    /** The base URL without trailing slashes; a path prefix (behind a reverse proxy) is kept. */
    static Optional<URI> httpBase(String text) {
        try {
            URI uri = new URI(text);
            boolean http = "http".equalsIgnoreCase(uri.getScheme()) || "https".equalsIgnoreCase(uri.getScheme());
            if (!http || uri.getHost() == null || uri.getRawQuery() != null || uri.getRawFragment() != null) {
                return Optional.empty();
            }
            return Optional.of(URI.create(text.replaceAll("/+$", "")));
        } catch (URISyntaxException e) {
            return Optional.empty(); // the caller names the value and the expected form
        }
    }

    private @Nullable String token(EnvLookup env) {
        if (token != null && tokenFile != null) {
            throw usage("give the token once: --token or --token-file, not both");
        }
        if (tokenFile != null) {
            try {
                return blankToNull(Files.readString(tokenFile, StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw usage("cannot read --token-file " + tokenFile + ": "
                        + e.getClass().getSimpleName());
            }
        }
        return blankToNull(firstNonBlank(token, env.get(ENV_ADMIN_TOKEN), ""));
    }

    private ParameterException usage(String message) {
        return new ParameterException(mixee.commandLine(), message);
    }

    private static String firstNonBlank(@Nullable String a, @Nullable String b, String fallback) {
        if (a != null && !a.isBlank()) return a;
        if (b != null && !b.isBlank()) return b;
        return fallback;
    }

    private static @Nullable String blankToNull(String s) {
        return s.isBlank() ? null : s.strip();
    }
}
