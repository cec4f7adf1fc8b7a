/**
 * Several edge nodes as one cache (issue 9): the cluster log (one Redis Stream) that carries purges and deploy
 * activations to every node in order, membership by heartbeat keys, and the admin views of both. Nothing here is on
 * the hit path: a node with {@code cluster:} set serves hits exactly like a single node.
 */
@NullMarked
package dev.edgecache.proxy.cluster;

import org.jspecify.annotations.NullMarked;
