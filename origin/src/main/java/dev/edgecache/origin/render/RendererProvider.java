package dev.edgecache.origin.render;

/**
 * Makes a {@link Renderer}; found with {@link java.util.ServiceLoader} (list the class in
 * {@code META-INF/services/dev.edgecache.origin.render.RendererProvider}) and selected by {@link #name()} in
 * {@code renderers:} of {@code conf/origin.yaml}. Implementations are public with a public no-argument constructor.
 */
public interface RendererProvider {
    /** The name used in {@code origin.yaml}, e.g. {@code blog}; lower case, unique. */
    String name();

    /**
     * Called once at start-up, on the main thread, for each name used in the config.
     *
     * @throws IllegalArgumentException for unusable settings; start-up fails with the message
     */
    Renderer create(RendererContext context);
}
