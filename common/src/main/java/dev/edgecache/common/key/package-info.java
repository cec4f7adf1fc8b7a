/** Cache keys and the one normalisation used for routing, keying and forwarding. */
package dev.edgecache.common.key;
