/**
 * The browser end-to-end test of Edge: the built origin and edge jars run as child processes on loopback ports,
 * and headless Chromium (Debian's {@code chromium} driven through {@code chromedriver} by Selenium) uses the blog
 * through the edge port only. Test code only; nothing here is used by another module.
 */
package dev.edgecache.e2e;
