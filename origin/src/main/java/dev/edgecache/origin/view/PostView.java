package dev.edgecache.origin.view;

import dev.edgecache.origin.markdown.SafeHtml;

/** {@code /{user}/{slug}}: one published post. */
public record PostView(String username, String title, SafeHtml body, String date) {}
