/**
 * JMH benchmarks of the hot path ({@code *Benchmark}) and the stacks and data they run against. Not used by any
 * other module.
 */
@NullMarked
package dev.edgecache.bench;

import org.jspecify.annotations.NullMarked;
