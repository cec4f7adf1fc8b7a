/**
 * The origin's config model: {@link dev.edgecache.origin.config.OriginServerConfig} and its sections, read from
 * {@code conf/origin.yaml} by the shared {@code YamlConfigLoader}. Records validate and default themselves in their
 * constructors; errors name file, line and key.
 */
@NullMarked
package dev.edgecache.origin.config;

import org.jspecify.annotations.NullMarked;
