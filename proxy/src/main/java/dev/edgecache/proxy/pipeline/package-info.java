/**
 * The reader side of the edge: the Netty pipeline ({@link dev.edgecache.proxy.pipeline.ClientChannelInitializer})
 * and its handlers, which adapt {@code HttpObject}s to the plain cache logic in {@code proxy.cache} and back.
 */
@NullMarked
package dev.edgecache.proxy.pipeline;

import org.jspecify.annotations.NullMarked;
