/** The store SPI, the stored-entry record and its versioned, checksummed binary codec. No backend types appear here. */
package dev.edgecache.common.store;
