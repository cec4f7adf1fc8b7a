/** Parsing of HTTP header values (Cache-Control, dates, entity tags). Framing is Netty's job, not ours. */
@NullMarked
package dev.edgecache.common.http;

import org.jspecify.annotations.NullMarked;
