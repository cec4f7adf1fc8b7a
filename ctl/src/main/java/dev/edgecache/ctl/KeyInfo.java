package dev.edgecache.ctl;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The answer of {@code GET /keys/info}: what is stored for one URL and why it is served as it is. Times are
 * kept as text: ISO-8601 is shown as is, epoch milliseconds are converted (see {@link KeyInfoView}).
 */
record KeyInfo(
        String url,
        @Nullable String deploy,
        int status,
        @Nullable String state,
        @JsonProperty("stored-at") @Nullable String storedAt,
        @JsonProperty("expires-at") @Nullable String expiresAt,
        @JsonProperty("stale-until") @Nullable String staleUntil,
        List<String> tags,
        long size,
        @Nullable String etag) {
    KeyInfo(
            String url,
            @Nullable String deploy,
            int status,
            @Nullable String state,
            @JsonProperty("stored-at") @Nullable String storedAt,
            @JsonProperty("expires-at") @Nullable String expiresAt,
            @JsonProperty("stale-until") @Nullable String staleUntil,
            @Nullable List<String> tags,
            long size,
            @Nullable String etag) {
        this.url = url;
        this.deploy = deploy;
        this.status = status;
        this.state = state;
        this.storedAt = storedAt;
        this.expiresAt = expiresAt;
        this.staleUntil = staleUntil;
        this.tags = tags == null ? List.of() : List.copyOf(tags);
        this.size = size;
        this.etag = etag;
    }
}
