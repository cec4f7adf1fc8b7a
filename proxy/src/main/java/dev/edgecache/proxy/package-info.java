/**
 * The edge process: {@link dev.edgecache.proxy.EdgeMain} (command line, config, signals) and {@link
 * dev.edgecache.proxy.EdgeServer} (lifecycle of the client, origin and admin sides). Other modules start the edge
 * through these two classes only.
 */
@NullMarked
package dev.edgecache.proxy;

import org.jspecify.annotations.NullMarked;
