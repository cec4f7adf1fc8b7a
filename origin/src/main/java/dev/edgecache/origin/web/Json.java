package dev.edgecache.origin.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.edgecache.origin.RejectedException;
import dev.edgecache.origin.http.Request;
import dev.edgecache.origin.http.Response;
import java.util.Map;

/** JSON bodies of the API: strict media type, clear 400s, and {@code {"error": ...}} answers. */
final class Json {
    private static final ObjectMapper MAPPER = new ObjectMapper()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);

    private Json() {}

    /** Reads the body as {@code type}; 415 unless {@code application/json}, 400 for malformed JSON. */
    static <T> T read(Request request, Class<T> type) {
        if (!request.mediaType().equals("application/json")) {
            throw new RejectedException(415, "Content-Type must be application/json");
        }
        try {
            T value = MAPPER.readValue(request.body(), type);
            if (value == null) throw RejectedException.badRequest("a JSON object is required");
            return value;
        } catch (JsonProcessingException e) {
            throw RejectedException.badRequest("malformed JSON: " + e.getOriginalMessage());
        } catch (java.io.IOException e) {
            throw RejectedException.badRequest("unreadable body");
        }
    }

    static Response write(int status, Object value) {
        try {
            return Response.of(status, Response.JSON, MAPPER.writeValueAsBytes(value))
                    .withHeader("Cache-Control", Response.PRIVATE);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode JSON response", e);
        }
    }

    static Response error(int status, String message) {
        return write(status, Map.of("error", message));
    }
}
