/**
 * Cache decisions and orchestration in plain Java: route table, storability policy, request collapsing, the
 * requests sent to the origin, and {@link dev.edgecache.proxy.cache.PageCache}, which ties the tiers and the
 * origin client together. No client channel types here.
 */
@NullMarked
package dev.edgecache.proxy.cache;

import org.jspecify.annotations.NullMarked;
