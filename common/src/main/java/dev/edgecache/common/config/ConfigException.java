package dev.edgecache.common.config;

/**
 * A config file that cannot be used. The message has the form {@code file:line:column key.path: message}
 * so that an operator can jump straight to the line.
 */
public final class ConfigException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ConfigException(String message) {
        super(message);
    }

    public ConfigException(String message, Throwable cause) {
        super(message, cause);
    }
}
