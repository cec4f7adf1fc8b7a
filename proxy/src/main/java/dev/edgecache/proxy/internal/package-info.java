/**
 * Helpers shared by the proxy's packages (transport selection, executors, where the native libraries are placed);
 * not for other modules.
 */
@NullMarked
package dev.edgecache.proxy.internal;

import org.jspecify.annotations.NullMarked;
