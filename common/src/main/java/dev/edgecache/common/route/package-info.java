/** Route patterns: plain path matching used by config validation and the edge's route table. */
package dev.edgecache.common.route;
