/**
 * Deploys: the registry of deploys and the active pointer ({@link dev.edgecache.proxy.deploy.DeployRegistry}), and
 * the prerender that builds a new deploy from its critical pages ({@link dev.edgecache.proxy.deploy.Prerenderer}).
 */
@NullMarked
package dev.edgecache.proxy.deploy;

import org.jspecify.annotations.NullMarked;
