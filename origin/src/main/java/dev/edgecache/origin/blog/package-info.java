/**
 * The blog: posts and their rules ({@link dev.edgecache.origin.blog.PostService}), the {@code blog} renderer of
 * the public pages, feeds and sitemap, the purge-tag vocabulary ({@link dev.edgecache.origin.blog.PurgeTags}) and
 * the critical-path list for deploys.
 */
@NullMarked
package dev.edgecache.origin.blog;

import org.jspecify.annotations.NullMarked;
