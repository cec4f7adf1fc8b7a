package dev.edgecache.origin.http;

import dev.edgecache.origin.RejectedException;

/** Turns refused and failed requests into responses (HTML pages, or JSON for the API). */
public interface ErrorPages {
    Response rejected(Request request, RejectedException rejection);

    /** 500: an unexpected failure, already logged; the response says nothing about its cause. */
    Response failed(Request request);
}
