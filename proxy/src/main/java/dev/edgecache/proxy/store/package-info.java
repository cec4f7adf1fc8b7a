/**
 * The edge's storage tiers: {@link dev.edgecache.proxy.store.MemoryStore} (Caffeine),
 * {@link dev.edgecache.proxy.store.RocksDbStore} (disk) and {@link dev.edgecache.proxy.store.TieredStore}, which
 * holds the logic between them. Only this package imports RocksDB.
 */
@NullMarked
package dev.edgecache.proxy.store;

import org.jspecify.annotations.NullMarked;
