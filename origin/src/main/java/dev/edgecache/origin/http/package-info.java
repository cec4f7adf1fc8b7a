/**
 * The origin's small HTTP layer over the JDK's {@code com.sun.net.httpserver}: plain {@link
 * dev.edgecache.origin.http.Request} and {@link dev.edgecache.origin.http.Response} records, a {@link
 * dev.edgecache.origin.http.Router}, and the one adapter that touches server types. Handlers in other packages see
 * only the records, so they are tested without sockets.
 */
@NullMarked
package dev.edgecache.origin.http;

import org.jspecify.annotations.NullMarked;
