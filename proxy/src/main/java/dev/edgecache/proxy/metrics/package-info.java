/** Meter names and tags ({@link dev.edgecache.proxy.metrics.EdgeMetrics}) and the exchange {@link dev.edgecache.proxy.metrics.Outcome}. */
package dev.edgecache.proxy.metrics;
