/** Config model of the edge ({@code EdgeConfig} and its sections) and the YAML loader shared by every process. Records are validated and defaulted in their constructors; errors name file, line and key. */
@NullMarked
package dev.edgecache.common.config;

import org.jspecify.annotations.NullMarked;
