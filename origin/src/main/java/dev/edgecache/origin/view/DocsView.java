package dev.edgecache.origin.view;

import dev.edgecache.origin.markdown.SafeHtml;

/** A page of the {@code docs} renderer. */
public record DocsView(String title, SafeHtml body) {}
