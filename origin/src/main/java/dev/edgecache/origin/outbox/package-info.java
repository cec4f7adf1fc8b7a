/**
 * Purges towards the edge, made reliable with a transactional outbox: services write purge requests in the same
 * transaction as their change ({@link dev.edgecache.origin.outbox.Outbox}), and one background {@link
 * dev.edgecache.origin.outbox.PurgeSender} delivers them to the edge's admin port with capped exponential backoff.
 */
@NullMarked
package dev.edgecache.origin.outbox;

import org.jspecify.annotations.NullMarked;
