package dev.edgecache.proxy.store;

/**
 * Which deploy is active: every stored page belongs to one deploy, and readers only see the active one's. The
 * pointer is persisted in the RocksDB metadata, so a restart keeps serving the same deploy. Thread-safe; reads
 * are a volatile load (hot path), switches are serialised and durable before they are visible.
 */
public final class DeployPointer {
    static final String META_KEY = "active-deploy";

    private final RocksDbStore disk;
    private volatile String active;

    private DeployPointer(RocksDbStore disk, String active) {
        this.disk = disk;
        this.active = active;
    }

    /** Reads the persisted pointer, or persists {@code initial} on first start. May block (disk). */
    public static DeployPointer load(RocksDbStore disk, String initial) {
        String stored = disk.readMeta(META_KEY).orElse(null);
        if (stored == null) {
            disk.writeMeta(META_KEY, initial);
            stored = initial;
        }
        return new DeployPointer(disk, stored);
    }

    public String active() {
        return active;
    }

    /** Makes {@code deploy} active, durably, then visibly. May block (disk). */
    public synchronized void activate(String deploy) {
        disk.writeMeta(META_KEY, deploy);
        active = deploy;
    }
}
