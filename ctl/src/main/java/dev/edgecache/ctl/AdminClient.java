package dev.edgecache.ctl;

import com.fasterxml.jackson.databind.JsonNode;
import dev.edgecache.common.config.Durations;
import java.io.IOException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateException;
import javax.net.ssl.SSLException;

/**
 * Calls the admin port and turns every failure into an {@link AdminException} with the right exit code and a
 * message an operator can act on: unreachable (3), token refused (4), anything else the server's own
 * {@code error} message (1). Never follows redirects, so the token only goes to the URL the operator named.
 *
 * <p>Owns its {@link HttpClient}; close it when the run ends. Used from the command thread only.
 */
final class AdminClient implements AutoCloseable {
    private static final String JSON = "application/json";

    private final AdminTarget target;
    private final HttpClient http;

    AdminClient(AdminTarget target) {
        this.target = target;
        HttpClient.Builder builder = HttpClient.newBuilder()
                // the admin port speaks HTTP/1.1; skip the h2c upgrade dance
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(target.timeout())
                .followRedirects(HttpClient.Redirect.NEVER);
        if (target.trust() != null) builder.sslContext(target.trust()); // --ca: a private CA
        this.http = builder.build();
    }

    /** The admin port's base URL, for headers that say which edge is shown. */
    String baseUrl() {
        return target.baseUrl().toString();
    }

    /** {@code GET path}; the path carries its already encoded query. */
    AdminAnswer get(String path) {
        return send("GET " + path, HttpRequest.newBuilder(target.resolve(path)).GET());
    }

    /** {@code POST path} with a JSON body. */
    AdminAnswer post(String path, JsonNode body) {
        return send(
                "POST " + path,
                HttpRequest.newBuilder(target.resolve(path))
                        .header("Content-Type", JSON)
                        .POST(HttpRequest.BodyPublishers.ofString(Json.write(body), StandardCharsets.UTF_8)));
    }

    private AdminAnswer send(String call, HttpRequest.Builder request) {
        request.timeout(target.timeout()).header("Accept", JSON);
        if (target.token() != null) request.header("Authorization", "Bearer " + target.token());
        HttpResponse<String> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (HttpConnectTimeoutException e) {
            throw unreachable("connect timed out after " + Durations.format(target.timeout()), e);
        } catch (HttpTimeoutException e) {
            throw new AdminException(
                    ExitCodes.UNREACHABLE,
                    "the admin port at " + target.baseUrl() + " did not answer " + call + " within "
                            + Durations.format(target.timeout()),
                    e);
        } catch (IOException e) {
            throw unreachable(describe(e), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AdminException(ExitCodes.FAILED, "interrupted while waiting for " + call, e);
        }
        return check(call, response.statusCode(), response.body());
    }

    private AdminAnswer check(String call, int status, String body) {
        if (status == 401) {
            String hint = target.token() == null ? " (none was given)" : "";
            throw new AdminException(
                    ExitCodes.UNAUTHORIZED,
                    "the admin token was refused (set --token or " + GlobalOptions.ENV_ADMIN_TOKEN + ")" + hint);
        }
        if (status >= 400) {
            String message = Json.errorMessage(body).orElseGet(() -> "no error message" + excerpt(body));
            throw new AdminException(ExitCodes.FAILED, message + " (" + call + " answered " + status + ")");
        }
        return new AdminAnswer(call, status, body);
    }

    private AdminException unreachable(String why, Exception cause) {
        return new AdminException(
                ExitCodes.UNREACHABLE, "cannot reach the admin port at " + target.baseUrl() + ": " + why, cause);
    }

    /** The JDK wraps the real reason (often with a null message); find the one an operator understands. */
    private String describe(IOException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof UnknownHostException || t instanceof UnresolvedAddressException) return "unknown host";
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ConnectException) return "connection refused";
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof CertPathBuilderException || t instanceof CertPathValidatorException) {
                return "its TLS certificate is not trusted ("
                        + (target.trust() == null
                                ? "give its CA with --ca FILE or " + GlobalOptions.ENV_ADMIN_CA
                                : "not signed by a CA in --ca")
                        + ")";
            }
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof CertificateException && t.getMessage() != null) {
                return "its TLS certificate does not match the host "
                        + target.baseUrl().getHost() + " (" + t.getMessage() + ")";
            }
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SSLException) {
                return "TLS failed: " + t.getMessage()
                        + ("http".equalsIgnoreCase(target.baseUrl().getScheme())
                                ? ""
                                : " (does the admin port speak HTTPS? admin.tls in its config)");
            }
        }
        String message = e.getMessage();
        String why = message == null || message.isBlank() ? e.getClass().getSimpleName() : message;
        if ("http".equalsIgnoreCase(target.baseUrl().getScheme()) && why.contains("received no bytes")) {
            // an HTTPS-only admin port (admin.tls) drops a plain request without a word
            return why + " (if the admin port speaks HTTPS, use an https:// URL)";
        }
        return why;
    }

    private static String excerpt(String body) {
        String oneLine = body.strip().replaceAll("\\s+", " ");
        if (oneLine.isEmpty()) return "";
        return ": " + (oneLine.length() > 200 ? oneLine.substring(0, 200) + "…" : oneLine);
    }

    @Override
    public void close() {
        http.close();
    }
}
