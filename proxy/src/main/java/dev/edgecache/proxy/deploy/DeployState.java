package dev.edgecache.proxy.deploy;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** Where a deploy is in its life: rendering → active → retained → deleted, or rendering → failed. */
public enum DeployState {
    /** Its critical pages are being rendered; readers still see the active deploy. */
    RENDERING,
    /** What readers are served. Exactly one deploy is active. */
    ACTIVE,
    /** Was active; its pages are kept so a rollback is a pointer flip. */
    RETAINED,
    /** Too many critical pages failed; never activated, pages deleted. */
    FAILED,
    /** Fell out of {@code store.retain-deploys}; pages deleted. */
    DELETED;

    @JsonValue
    public String jsonName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Its pages are stored and must be kept in step with purges. */
    public boolean isLive() {
        return this == RENDERING || this == ACTIVE || this == RETAINED;
    }
}
