/** The admin port: health, readiness and metrics now; purge, deploys and inspection follow (issue 3). */
@NullMarked
package dev.edgecache.proxy.admin;

import org.jspecify.annotations.NullMarked;
