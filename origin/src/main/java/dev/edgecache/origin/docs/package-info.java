/**
 * The {@code docs} renderer: Markdown files in a folder served as HTML pages. It is deliberately tiny, and is the
 * example to copy when writing your own renderer:
 * <ol>
 *   <li>{@link dev.edgecache.origin.docs.DocsRenderer} implements {@code Renderer}: it reads the path below its mount
 *       from {@code RenderRequest.REST}, answers 404 pages for unknown names, and tags pages for purging;
 *   <li>{@link dev.edgecache.origin.docs.DocsRendererProvider} implements {@code RendererProvider}: a name and a
 *       factory that reads its {@code renderer-settings} ({@code root});
 *   <li>{@code META-INF/services/dev.edgecache.origin.render.RendererProvider} lists the provider;
 *   <li>{@code conf/origin.yaml} mounts it: {@code renderers: {/docs/**: docs}}.
 * </ol>
 */
@NullMarked
package dev.edgecache.origin.docs;

import org.jspecify.annotations.NullMarked;
