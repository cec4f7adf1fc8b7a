/** The store SPI, the stored-entry record and its versioned, checksummed binary codec. No backend types appear here. */
@NullMarked
package dev.edgecache.common.store;

import org.jspecify.annotations.NullMarked;
