package dev.edgecache.origin.render;

/**
 * Renders the public pages of the routes it is mounted on. The only required method of the renderer SPI.
 *
 * <p>Contract:
 * <ul>
 *   <li>Called on a virtual thread per request, concurrently: implementations are thread-safe and may block.
 *   <li>A page that the edge may share must not depend on {@link RenderRequest#user()}: the edge forwards cacheable
 *       requests without cookies. A page that does depend on the user must say so with {@link
 *       CacheHints#personalPage()}, which makes it {@code Cache-Control: private, no-store}.
 *   <li>Unknown paths are answered with a 404 page, not an exception. An exception becomes a 500.
 * </ul>
 */
@FunctionalInterface
public interface Renderer {
    RenderedPage render(RenderRequest request);
}
