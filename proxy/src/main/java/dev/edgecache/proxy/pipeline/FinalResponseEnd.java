package dev.edgecache.proxy.pipeline;

import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.LastHttpContent;

/**
 * When a request has been answered, seen from the writes of an HTTP/1.1 connection: the last content of a final
 * response, whole ({@code FullHttpResponse}) or streamed. An interim (1xx) response answers nothing yet. The handlers
 * that count the responses still owed ({@link RequestHeadDeadline}, {@link EarlyAnswers}) share this rule, so their
 * counts agree.
 */
final class FinalResponseEnd {
    private FinalResponseEnd() {}

    /** Whether writing {@code msg} completes the response to a request. */
    static boolean is(Object msg) {
        boolean interim = msg instanceof HttpResponse r && r.status().codeClass() == HttpStatusClass.INFORMATIONAL;
        return msg instanceof LastHttpContent && !interim;
    }
}
