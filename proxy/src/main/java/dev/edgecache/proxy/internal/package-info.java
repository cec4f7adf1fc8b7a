/** Helpers shared by the proxy's packages (transport selection, executors); not for other modules. */
package dev.edgecache.proxy.internal;
