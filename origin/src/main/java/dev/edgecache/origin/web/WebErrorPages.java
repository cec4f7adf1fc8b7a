package dev.edgecache.origin.web;

import dev.edgecache.origin.RejectedException;
import dev.edgecache.origin.http.ErrorPages;
import dev.edgecache.origin.http.Request;
import dev.edgecache.origin.http.Response;

/** Errors as JSON under {@code /api/} and {@code /_edge/}, as private HTML pages everywhere else. */
final class WebErrorPages implements ErrorPages {
    private final Pages pages;

    WebErrorPages(Pages pages) {
        this.pages = pages;
    }

    @Override
    public Response rejected(Request request, RejectedException rejection) {
        Response r = isApi(request)
                ? Json.error(rejection.status(), rejection.getMessage())
                : pages.message(rejection.status(), titleOf(rejection.status()), rejection.getMessage());
        return rejection.status() == 429 ? r.withHeader("Retry-After", "60") : r;
    }

    @Override
    public Response failed(Request request) {
        return isApi(request)
                ? Json.error(500, "internal error")
                : pages.message(500, "Something went wrong", "The server failed to answer. Try again later.");
    }

    static boolean isApi(Request request) {
        return request.path().startsWith("/api/") || request.path().startsWith("/_edge/");
    }

    private static String titleOf(int status) {
        return switch (status) {
            case 400 -> "Bad request";
            case 401 -> "Not signed in";
            case 403 -> "Forbidden";
            case 404 -> "Not found";
            case 409 -> "Conflict";
            case 413 -> "Too large";
            case 415 -> "Unsupported form";
            case 429 -> "Too many attempts";
            default -> "Request refused";
        };
    }
}
