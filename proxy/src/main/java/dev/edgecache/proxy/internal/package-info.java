/** Helpers shared by the proxy's packages (transport selection, executors); not for other modules. */
@NullMarked
package dev.edgecache.proxy.internal;

import org.jspecify.annotations.NullMarked;
