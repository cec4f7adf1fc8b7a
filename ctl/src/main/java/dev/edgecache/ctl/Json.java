package dev.edgecache.ctl;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Optional;

/** The one Jackson mapper of ctl. Lenient on unknown fields: a newer admin port may answer with more. */
final class Json {
    private static final JsonMapper MAPPER = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    private Json() {}

    static ObjectNode object() {
        return MAPPER.createObjectNode();
    }

    static String write(JsonNode node) {
        return node.toString();
    }

    static <T> T read(String body, Class<T> type) throws JsonProcessingException {
        return MAPPER.readValue(body, type);
    }

    /** The {@code error} field of an error answer, when the body is the JSON the admin port promises. */
    static Optional<String> errorMessage(String body) {
        try {
            JsonNode error = MAPPER.readTree(body).path("error");
            return error.isTextual() && !error.asText().isBlank() ? Optional.of(error.asText()) : Optional.empty();
        } catch (JsonProcessingException e) {
            return Optional.empty(); // not JSON (a proxy's HTML page, say): the caller reports the status instead
        }
    }
}
