/** Parsing of HTTP header values (Cache-Control, dates, entity tags). Framing is Netty's job, not ours. */
package dev.edgecache.common.http;
