package dev.edgecache.proxy.pipeline;

import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http2.Http2HeadersFrame;

/**
 * Sets a header on a final response as it is written, whichever way the pipeline carries it: an {@link HttpResponse}
 * (HTTP/1.1, and h2/h3 streams after their frame-to-object codecs) or an h2 {@link Http2HeadersFrame} with a
 * {@code :status}. Interim (1xx) responses and trailers are left alone. What {@link AltSvc} and {@link
 * StrictTransportSecurity} share: headers of this hop, added after the cache made the response, never stored.
 */
final class FinalResponseHeader {
    private FinalResponseHeader() {}

    /** Sets {@code name: value} on {@code msg} when it is the head of a final response; otherwise does nothing. */
    static void set(Object msg, CharSequence name, String value) {
        if (msg instanceof HttpResponse r) {
            if (r.status().codeClass() != HttpStatusClass.INFORMATIONAL)
                r.headers().set(name, value);
        } else if (msg instanceof Http2HeadersFrame f) {
            CharSequence status = f.headers().status();
            if (status != null && status.length() == 3 && status.charAt(0) != '1')
                f.headers().set(name, value);
        }
    }
}
