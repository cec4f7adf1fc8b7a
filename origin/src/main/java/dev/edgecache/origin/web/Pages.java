package dev.edgecache.origin.web;

import dev.edgecache.origin.RejectedException;
import dev.edgecache.origin.http.FormData;
import dev.edgecache.origin.http.Request;
import dev.edgecache.origin.http.Response;
import dev.edgecache.origin.view.MessageView;
import dev.edgecache.origin.view.Templates;

/** Renders private (account, dashboard, editor) pages: {@code Cache-Control: private, no-store}. */
final class Pages {
    private final Templates templates;

    Pages(Templates templates) {
        this.templates = templates;
    }

    Response render(int status, String template, Object view) {
        return Response.privateHtml(status, templates.render(template, view));
    }

    Response message(int status, String title, String message) {
        return render(status, "message.jte", new MessageView(status, title, message));
    }

    /** The form fields of a POST; 415 unless the body is {@code application/x-www-form-urlencoded}. */
    static FormData form(Request request) {
        if (!request.mediaType().equals("application/x-www-form-urlencoded")) {
            throw new RejectedException(415, "forms must be sent as application/x-www-form-urlencoded");
        }
        return FormData.parse(request.bodyText());
    }
}
