package dev.edgecache.origin.view;

import dev.edgecache.origin.markdown.SafeHtml;
import org.jspecify.annotations.Nullable;

/**
 * A post shown as it would be published, in any state: to its author ({@code /editor/{id}/preview}, with a link to
 * share) or to whoever holds a signed link ({@code /preview/{id}}).
 *
 * @param editorId the post id when the author is looking (links back to the editor), else null
 * @param shareUrl a signed link to share, for the author only
 * @param shareUntil when {@code shareUrl} stops working (UTC, minutes)
 */
public record PreviewView(
        String username,
        String title,
        SafeHtml body,
        String status,
        @Nullable Long editorId,
        @Nullable String shareUrl,
        @Nullable String shareUntil) {}
