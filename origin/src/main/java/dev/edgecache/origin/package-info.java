/**
 * The origin process: {@link dev.edgecache.origin.OriginMain} (command line, config, signals) and {@link
 * dev.edgecache.origin.OriginServer} (lifecycle of everything else). Sub-packages: {@code config}, {@code db},
 * {@code http}, {@code account}, {@code blog}, {@code outbox}, {@code render} (the renderer SPI), {@code docs},
 * {@code markdown}, {@code view} and {@code web}.
 */
@NullMarked
package dev.edgecache.origin;

import org.jspecify.annotations.NullMarked;
