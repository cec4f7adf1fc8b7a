package dev.edgecache.origin.view;

import dev.edgecache.origin.markdown.SafeHtml;
import java.util.List;

/** {@code /{user}/{slug}}: one published post, with its tags (each links to {@code /tags/{tag}}). */
public record PostView(
        String username, String title, SafeHtml body, String date, int readingMinutes, List<String> tags) {}
