package dev.edgecache.ctl;

import org.jspecify.annotations.Nullable;

/** The optional {@code &deploy=ID} of the key calls: without it the admin port looks in the active deploy. */
final class DeployParam {
    private DeployParam() {}

    static String of(@Nullable String deploy) {
        return deploy == null ? "" : "&deploy=" + UrlParts.queryValue(deploy);
    }
}
