/** Meter names and tags ({@link dev.edgecache.proxy.metrics.EdgeMetrics}) and the exchange {@link dev.edgecache.proxy.metrics.Outcome}. */
@NullMarked
package dev.edgecache.proxy.metrics;

import org.jspecify.annotations.NullMarked;
