/** Network address values: CIDR blocks and the sets of them that config names (e.g. {@code trusted-proxies}). */
@NullMarked
package dev.edgecache.common.net;

import org.jspecify.annotations.NullMarked;
