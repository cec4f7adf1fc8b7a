/**
 * The renderer SPI: how the origin's public pages are made, and the seam where you plug in your own.
 *
 * <p>A {@link dev.edgecache.origin.render.Renderer} turns a {@link dev.edgecache.origin.render.RenderRequest} (path,
 * path variables, query, signed-in user if any) into a {@link dev.edgecache.origin.render.RenderedPage} (status,
 * content type, body, {@link dev.edgecache.origin.render.CacheHints}). It is plain Java: no HTTP server types, so it
 * is unit-tested by calling {@code render}.
 *
 * <p>Discovery is by {@link java.util.ServiceLoader} only: a {@link dev.edgecache.origin.render.RendererProvider}
 * listed in {@code META-INF/services/dev.edgecache.origin.render.RendererProvider} names the renderer, and
 * {@code renderers:} in {@code conf/origin.yaml} mounts names on route patterns, first match wins:
 *
 * <pre>{@code
 * renderers:
 *   /docs/**: docs
 *   /**: blog        # appended when absent
 * renderer-settings:
 *   docs:
 *     root: origin/docs
 * }</pre>
 *
 * <p>To write one: implement {@code Renderer} (thread-safe, may block, 404 for unknown paths), implement {@code
 * RendererProvider} (public, no-argument constructor) returning it from {@code create(context)}, where the context
 * carries the renderer's {@code renderer-settings}, the data directory, the public URL and shared services; list the
 * provider in the services file; put the jar on the class path; mount it in {@code origin.yaml}. The {@code docs}
 * renderer in {@code dev.edgecache.origin.docs} is the smallest complete example. Mounted first segments (such as
 * {@code docs}) are reserved as usernames.
 */
@NullMarked
package dev.edgecache.origin.render;

import org.jspecify.annotations.NullMarked;
