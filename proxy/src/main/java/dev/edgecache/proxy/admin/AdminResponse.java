package dev.edgecache.proxy.admin;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** An admin answer: status, content type and body bytes. */
record AdminResponse(int status, String contentType, byte[] body) {
    static AdminResponse json(int status, Object value) {
        try {
            return new AdminResponse(status, "application/json", AdminJson.MAPPER.writeValueAsBytes(value));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode admin answer", e);
        }
    }

    static AdminResponse error(int status, @Nullable String message) {
        // Map.of rejects null: an exception without a message used to fail the answer itself
        return json(status, Map.of("error", message != null ? message : "(no detail)"));
    }

    static AdminResponse text(String body) {
        return new AdminResponse(
                200, "text/plain; version=0.0.4; charset=utf-8", body.getBytes(StandardCharsets.UTF_8));
    }
}
