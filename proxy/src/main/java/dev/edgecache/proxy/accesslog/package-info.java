/** The reader-port access log (issue 10): one line per request, formatted here, written by a background thread. */
@NullMarked
package dev.edgecache.proxy.accesslog;

import org.jspecify.annotations.NullMarked;
