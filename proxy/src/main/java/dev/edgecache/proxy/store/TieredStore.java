package dev.edgecache.proxy.store;

import dev.edgecache.common.store.EntryKey;
import dev.edgecache.common.store.Store;
import dev.edgecache.common.store.StoredEntry;
import java.util.List;
import java.util.Optional;

/**
 * Memory in front of disk. Reads go memory first, then disk; writes go to disk first, so an entry is in memory
 * only once it is durable; removes clear both. A read never copies a disk hit into memory by itself: a promotion
 * racing a purge could put back a page the purge just removed (issue 8), so the caller promotes explicitly with
 * {@link #promote}, ordered against purges by the {@code PurgeFence}. All tier logic lives here; the tiers are thin
 * adapters. {@link #getFromMemory} never blocks; every other call may, and belongs off the event loop.
 * Thread-safe. Owns both tiers.
 */
public final class TieredStore implements Store {
    private final MemoryStore memory;
    private final RocksDbStore disk;
    private final Doorkeeper doorkeeper;

    public TieredStore(MemoryStore memory, RocksDbStore disk) {
        this.memory = memory;
        this.disk = disk;
        this.doorkeeper = new Doorkeeper(doorkeeperWindow(memory.budgetBytes()));
    }

    /**
     * Keys the doorkeeper remembers: four times the 4 KiB pages memory holds, so that a page read twice while the
     * memory tier turns over about four times is admitted (at least 4,096 keys; 64 MiB gives 65,536, 512 KiB of bits).
     */
    private static int doorkeeperWindow(long memoryBytes) {
        return (int) Math.min(1 << 24, Math.max(4096, memoryBytes / 1024));
    }

    /**
     * Non-blocking lookup in the memory tier only; safe on an event loop. A heap copy of the entry ({@link
     * HotEntry#toEntry}): the hit path reads {@link #getHotFromMemory} instead.
     */
    public Optional<StoredEntry> getFromMemory(EntryKey key) {
        return memory.get(key);
    }

    /**
     * The memory tier's own entry, bodies in direct memory and not copied: for writing hits. Non-blocking. Its bytes
     * are read only through a retain, which fails if the entry is evicted meanwhile ({@link HotEntry}).
     */
    public Optional<HotEntry> getHotFromMemory(EntryKey key) {
        return memory.getHot(key);
    }

    /** Memory, else disk; a disk hit is not promoted (see the class comment). May block. */
    @Override
    public Optional<StoredEntry> get(EntryKey key) {
        Optional<StoredEntry> hit = memory.get(key);
        return hit.isPresent() ? hit : disk.get(key);
    }

    /**
     * The disk tier only: an entry the caller owns and {@link HotEntry#release}s once done ({@link
     * RocksDbStore#getHot}). May block.
     */
    public Optional<HotEntry> getFromDisk(EntryKey key) {
        return disk.getHot(key);
    }

    /**
     * Whether a page just read from disk should be copied into memory: when it was read from disk before, recently
     * ({@link Doorkeeper}), whether or not memory has room. Admitting every page while memory had room made an empty
     * tier (after a start, a deploy or a purge) take in a burst of pages read once under random reads: their metadata
     * survived one young collection en masse, and G1 failed to evacuate it and compacted the whole heap (73-74 ms,
     * bench/RESULTS.md §23-24). Records the read. Non-blocking.
     */
    public boolean admits(EntryKey key) {
        return doorkeeper.seenBefore(key.hashCode());
    }

    /**
     * Keeps an entry read from disk in memory (sharing its direct memory, or copying a heap entry's bodies there),
     * unless memory got the key meanwhile ({@link MemoryStore#promote}). Only under the purge fence ({@code
     * PurgeFence#storeUnlessPurged}): a purge recorded since the disk read must win.
     */
    public void promote(EntryKey key, HotEntry fromDisk) {
        memory.promote(key, fromDisk);
    }

    @Override
    public void put(EntryKey key, StoredEntry entry) {
        disk.put(key, entry);
        memory.put(key, entry);
    }

    @Override
    public boolean remove(EntryKey key) {
        boolean inMemory = memory.remove(key);
        return disk.remove(key) || inMemory;
    }

    /** Whether {@code key} is stored in either tier, without reading or promoting the entry. May block. */
    public boolean contains(EntryKey key) {
        return memory.getHot(key).isPresent() || disk.contains(key);
    }

    @Override
    public int removeAll(List<EntryKey> keys) {
        for (EntryKey k : keys) memory.remove(k);
        return disk.removeAll(keys);
    }

    /**
     * A soft purge of {@code keys}: marked stale on disk ({@link RocksDbStore#markStale}) and dropped from memory, so
     * that the next read finds them marked.
     *
     * @return the keys marked (those stored)
     */
    public List<EntryKey> markStale(List<EntryKey> keys, long nowMillis) {
        List<EntryKey> marked = disk.markStale(keys, nowMillis);
        for (EntryKey k : keys) memory.remove(k);
        return marked;
    }

    @Override
    public List<EntryKey> keys(String deploy, String targetPrefix, int limit) {
        return disk.keys(deploy, targetPrefix, limit);
    }

    @Override
    public List<EntryKey> keysTagged(String deploy, String tag) {
        return disk.keysTagged(deploy, tag);
    }

    @Override
    public void removeDeploy(String deploy) {
        disk.removeDeploy(deploy);
        memory.cache().asMap().keySet().removeIf(k -> k.deploy().equals(deploy));
    }

    public MemoryStore memory() {
        return memory;
    }

    public RocksDbStore disk() {
        return disk;
    }

    @Override
    public void close() {
        memory.close();
        disk.close();
    }
}
