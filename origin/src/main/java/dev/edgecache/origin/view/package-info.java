/**
 * View models for the jte templates and the {@link dev.edgecache.origin.view.Templates} facade. The records are public
 * only because the generated template classes live in another package; nothing else should depend on them.
 */
@NullMarked
package dev.edgecache.origin.view;

import org.jspecify.annotations.NullMarked;
