/** The admin port: health, readiness and metrics now; purge, deploys and inspection follow (issue 3). */
package dev.edgecache.proxy.admin;
