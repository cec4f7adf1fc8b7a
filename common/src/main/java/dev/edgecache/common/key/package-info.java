/** Cache keys and the one normalisation used for routing, keying and forwarding. */
@NullMarked
package dev.edgecache.common.key;

import org.jspecify.annotations.NullMarked;
