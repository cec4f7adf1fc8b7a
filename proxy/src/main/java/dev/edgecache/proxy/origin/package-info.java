/**
 * The origin side: {@link dev.edgecache.proxy.origin.OriginClient}, a pooled keep-alive HTTP/1.1 client, and the
 * plain request/response records that cross from it into the cache logic (no {@code ByteBuf} leaves this package).
 */
@NullMarked
package dev.edgecache.proxy.origin;

import org.jspecify.annotations.NullMarked;
