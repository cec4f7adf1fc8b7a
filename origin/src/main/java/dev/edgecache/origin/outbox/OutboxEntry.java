package dev.edgecache.origin.outbox;

/** One pending purge request: its JSON body and how often sending it has failed. */
record OutboxEntry(long id, String payload, int attempts) {}
