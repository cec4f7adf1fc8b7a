/**
 * The origin's web layer: account and author HTML pages (private, CSRF-protected), the JSON API, the public pages
 * that dispatch to renderers with the edge's caching headers, static assets, and the {@code /_edge/} endpoints.
 * {@link dev.edgecache.origin.web.WebApp} wires them into one router.
 */
@NullMarked
package dev.edgecache.origin.web;

import org.jspecify.annotations.NullMarked;
