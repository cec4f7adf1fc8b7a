package dev.edgecache.ctl;

import com.fasterxml.jackson.core.JsonProcessingException;

/** One successful (2xx) answer of the admin port: status and the body exactly as received. */
record AdminAnswer(String call, int status, String body) {
    /** Reads the body as {@code type}; a body that does not fit is the server's fault, reported as exit 1. */
    <T> T as(Class<T> type) {
        try {
            return Json.read(body, type);
        } catch (JsonProcessingException e) {
            throw new AdminException(
                    ExitCodes.FAILED,
                    "the admin port's answer to " + call + " is not the JSON ctl expects: " + e.getOriginalMessage());
        }
    }
}
