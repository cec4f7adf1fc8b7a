package dev.edgecache.proxy.cluster;

/**
 * One node's heartbeat as stored in Redis (a key with a short TTL: a node that stops heartbeating leaves the
 * membership by itself).
 *
 * @param peer the node's peer-fill address
 * @param deploy the node's active deploy
 * @param position the id of the last cluster-log entry the node applied
 * @param seen when the node wrote this heartbeat, epoch milliseconds of its own clock
 */
public record Member(String id, String peer, String deploy, String position, long seen) {}
