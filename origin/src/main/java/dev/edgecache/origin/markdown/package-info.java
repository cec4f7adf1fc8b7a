/**
 * Markdown rendering shared by renderers: {@link dev.edgecache.origin.markdown.Markdown} turns CommonMark into
 * {@link dev.edgecache.origin.markdown.SafeHtml}, the only HTML templates print without escaping.
 */
@NullMarked
package dev.edgecache.origin.markdown;

import org.jspecify.annotations.NullMarked;
