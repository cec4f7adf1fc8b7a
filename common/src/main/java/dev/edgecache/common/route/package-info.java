/** Route patterns: plain path matching used by config validation and the edge's route table. */
@NullMarked
package dev.edgecache.common.route;

import org.jspecify.annotations.NullMarked;
