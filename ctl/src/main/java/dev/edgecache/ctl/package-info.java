/**
 * {@code edge-proxy.jar ctl}: the SRE command line, a small client of the admin port (DESIGN §2). One picocli
 * subcommand per admin call, the JDK {@code HttpClient} for transport and Jackson for the JSON. Only
 * {@link dev.edgecache.ctl.EdgeCtl} is public; the proxy's {@code EdgeMain} calls it, nothing else should.
 */
@NullMarked
package dev.edgecache.ctl;

import org.jspecify.annotations.NullMarked;
