package dev.edgecache.common.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.deser.std.FromStringDeserializer;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Reads one YAML file into an immutable config record. Keys are kebab-case ({@code connect-timeout} binds
 * to the record component {@code connectTimeout}); unknown keys are errors; {@code ${VAR}} and
 * {@code ${VAR:-default}} are replaced from the environment before parsing. Every failure is a {@link
 * ConfigException} whose message is {@code file:line:column key.path: message}.
 *
 * <p>Thread-safe; used by both the edge and the origin.
 */
public final class YamlConfigLoader {
    private static final Pattern ENV = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?}");
    private static final YAMLMapper MAPPER = newMapper();

    private final Function<String, @Nullable String> environment;

    public YamlConfigLoader(Function<String, @Nullable String> environment) {
        this.environment = environment;
    }

    /** A loader reading {@code ${VAR}} from the process environment. */
    public static YamlConfigLoader withSystemEnvironment() {
        return new YamlConfigLoader(System::getenv);
    }

    public <T> T load(Path file, Class<T> type) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new ConfigException(file + ": config file not found");
        } catch (IOException e) {
            throw new ConfigException(file + ": cannot read config file: " + e.getMessage(), e);
        }
        return parse(file.toString(), text, type);
    }

    /** Parses {@code text} as if read from {@code fileName} (the name only appears in messages). */
    public <T> T parse(String fileName, String text, Class<T> type) {
        String expanded = expandEnvironment(fileName, text);
        try {
            T value = MAPPER.readValue(expanded, type);
            if (value == null) throw new ConfigException(fileName + ":1:1 : the config file is empty");
            return value;
        } catch (JsonProcessingException e) {
            throw describe(fileName, expanded, e);
        }
    }

    private String expandEnvironment(String fileName, String text) {
        StringBuilder out = new StringBuilder(text.length());
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            if (i > 0) out.append('\n');
            Matcher m = ENV.matcher(lines[i]);
            while (m.find()) {
                String value = environment.apply(m.group(1));
                if (value == null) value = m.group(2);
                if (value == null) {
                    throw new ConfigException(fileName + ":" + (i + 1) + ":" + (m.start() + 1) + " ${" + m.group(1)
                            + "}: environment variable is not set (write ${" + m.group(1)
                            + ":-default} to make it optional)");
                }
                m.appendReplacement(out, Matcher.quoteReplacement(value));
            }
            m.appendTail(out);
        }
        return out.toString();
    }

    private static ConfigException describe(String fileName, String text, JsonProcessingException e) {
        String path = e instanceof JsonMappingException jme ? pathOf(jme) : "";
        String message = messageOf(e);
        InvalidValueException invalid = findCause(e, InvalidValueException.class);
        if (invalid != null) {
            path = path.isEmpty() ? invalid.key() : path + "." + invalid.key();
            message = invalid.getMessage();
        } else {
            IllegalArgumentException iae = findCause(e, IllegalArgumentException.class);
            if (iae != null) message = iae.getMessage();
        }
        if (e instanceof UnrecognizedPropertyException upe) {
            message = "unknown key '" + upe.getPropertyName() + "' (known keys: "
                    + String.join(
                            ", ",
                            upe.getKnownPropertyIds().stream()
                                    .map(Object::toString)
                                    .sorted()
                                    .toList())
                    + ")";
        }
        JsonLocation where = locate(text, path);
        if (where == null) where = e.getLocation();
        String at = where == null ? "" : ":" + where.getLineNr() + ":" + where.getColumnNr();
        return new ConfigException(fileName + at + " " + (path.isEmpty() ? "(root)" : path) + ": " + message, e);
    }

    private static String messageOf(JsonProcessingException e) {
        String m = e.getOriginalMessage();
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }

    private static String pathOf(JsonMappingException e) {
        StringBuilder sb = new StringBuilder();
        for (JsonMappingException.Reference ref : e.getPath()) {
            if (ref.getFieldName() != null) {
                if (!sb.isEmpty()) sb.append('.');
                sb.append(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                sb.append('[').append(ref.getIndex()).append(']');
            }
        }
        return sb.toString();
    }

    private static <X extends Throwable> @Nullable X findCause(Throwable t, Class<X> type) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (type.isInstance(c)) return type.cast(c);
        }
        return null;
    }

    /** Finds where {@code path} (e.g. {@code routes[2].ttl}) starts in the document, or its nearest parent. */
    private static @Nullable JsonLocation locate(String text, String path) {
        if (path.isEmpty()) return null;
        Map<String, JsonLocation> locations = new HashMap<>();
        try (JsonParser p = new YAMLFactory().createParser(text)) {
            Deque<String> containers = new ArrayDeque<>();
            Deque<int[]> indexes = new ArrayDeque<>();
            String current = "";
            JsonToken t;
            while ((t = p.nextToken()) != null) {
                if (t == JsonToken.FIELD_NAME) {
                    String parent = containers.isEmpty() ? "" : containers.peek();
                    current = parent.isEmpty() ? p.currentName() : parent + "." + p.currentName();
                    locations.putIfAbsent(current, p.currentTokenLocation());
                    continue;
                }
                if (!indexes.isEmpty() && indexes.peek()[0] >= 0 && !containers.isEmpty() && isArrayElement(p)) {
                    current = containers.peek() + "[" + indexes.peek()[0]++ + "]";
                    locations.putIfAbsent(current, p.currentTokenLocation());
                }
                if (t == JsonToken.START_OBJECT || t == JsonToken.START_ARRAY) {
                    containers.push(current);
                    indexes.push(new int[] {t == JsonToken.START_ARRAY ? 0 : -1});
                } else if (t == JsonToken.END_OBJECT || t == JsonToken.END_ARRAY) {
                    containers.pop();
                    indexes.pop();
                }
            }
        } catch (IOException e) {
            return null; // the mapper's own location is used instead
        }
        for (String p = path; !p.isEmpty(); p = parentOf(p)) {
            JsonLocation l = locations.get(p);
            if (l != null) return l;
        }
        return null;
    }

    private static boolean isArrayElement(JsonParser p) {
        JsonToken t = p.currentToken();
        return t != JsonToken.END_ARRAY && t != JsonToken.END_OBJECT;
    }

    private static String parentOf(String path) {
        int cut = Math.max(path.lastIndexOf('.'), path.lastIndexOf('['));
        return cut < 0 ? "" : path.substring(0, cut);
    }

    private static YAMLMapper newMapper() {
        SimpleModule units = new SimpleModule("edge-units");
        units.addDeserializer(Duration.class, new FromStringDeserializer<>(Duration.class) {
            private static final long serialVersionUID = 1L;

            @Override
            protected Duration _deserialize(String value, com.fasterxml.jackson.databind.DeserializationContext ctx) {
                return Durations.parse(value);
            }
        });
        return YAMLMapper.builder()
                .propertyNamingStrategy(PropertyNamingStrategies.KEBAB_CASE)
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
                .addModule(units)
                .build();
    }
}
