package dev.edgecache.proxy.admin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import java.io.IOException;
import org.jspecify.annotations.Nullable;

/** JSON of the admin API: kebab-case keys, unknown keys refused with the key named. */
final class AdminJson {
    static final ObjectMapper MAPPER = new ObjectMapper()
            .setPropertyNamingStrategy(PropertyNamingStrategies.KEBAB_CASE)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private AdminJson() {}

    /** Parses a request body; failures become {@link BadAdminRequest} naming the field. */
    static <T> T read(byte[] body, Class<T> type) {
        if (body.length == 0) throw new BadAdminRequest("a JSON body is required");
        T value;
        try {
            value = MAPPER.readValue(body, type);
        } catch (UnrecognizedPropertyException e) {
            throw new BadAdminRequest("unknown field '" + e.getPropertyName() + "'");
        } catch (JsonMappingException e) {
            String field = e.getPath().isEmpty()
                    ? ""
                    : "field '" + e.getPath().get(e.getPath().size() - 1).getFieldName() + "': ";
            Throwable cause = e.getCause() instanceof IllegalArgumentException iae ? iae : null;
            throw new BadAdminRequest(field + (cause != null ? cause.getMessage() : e.getOriginalMessage()));
        } catch (JsonProcessingException e) {
            throw new BadAdminRequest("malformed JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new BadAdminRequest("unreadable body: " + e.getMessage());
        }
        if (value instanceof Validated v) {
            try {
                v.validate();
            } catch (IllegalArgumentException e) {
                throw new BadAdminRequest(e.getMessage());
            }
        }
        return value;
    }

    /** A request body with rules beyond its types, checked once it is parsed. */
    interface Validated {
        /** @throws IllegalArgumentException saying what is wrong */
        void validate();
    }

    /** A 400 with a message for the caller. */
    static final class BadAdminRequest extends RuntimeException {
        private static final long serialVersionUID = 1L;

        BadAdminRequest(@Nullable String message) {
            super(message);
        }
    }
}
