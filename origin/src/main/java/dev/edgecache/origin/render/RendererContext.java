package dev.edgecache.origin.render;

import java.net.URI;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * What a {@link RendererProvider} gets at start-up.
 *
 * @param settings this renderer's {@code renderer-settings.<name>} from {@code origin.yaml} (may be empty)
 * @param dataDirectory the origin's {@code data} directory, for renderer-owned files
 * @param publicUrl the address readers use, for absolute links (feeds, sitemaps)
 * @param services shared origin objects by type (the {@code Database}, {@code Templates}, {@code Markdown}); a
 *     renderer that needs none ignores them
 */
public record RendererContext(
        Map<String, String> settings, Path dataDirectory, URI publicUrl, Map<Class<?>, Object> services) {

    public RendererContext {
        settings = Map.copyOf(settings);
        services = Map.copyOf(services);
    }

    /** The shared object of this type, if the origin provides one. */
    public <T> Optional<T> service(Class<T> type) {
        return Optional.ofNullable(services.get(type)).map(type::cast);
    }

    /** The shared object of this type; fails naming the type when absent. */
    public <T> T require(Class<T> type) {
        return service(type).orElseThrow(() -> new IllegalArgumentException("no service " + type.getName()));
    }

    /** A setting, or {@code fallback} when unset. */
    public String setting(String key, String fallback) {
        return settings.getOrDefault(key, fallback);
    }
}
