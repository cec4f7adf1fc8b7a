package dev.edgecache.proxy.testing;

import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;

/** A WireMock origin on a loopback dynamic port (STYLE 11; VERSIONS pitfall 11). */
public final class Origins {
    private Origins() {}

    public static WireMockExtension wireMock() {
        return WireMockExtension.newInstance().options(options()).build();
    }

    /** An origin whose stubs can hold their answers behind {@code gate}. */
    public static WireMockExtension wireMock(OriginGate gate) {
        return WireMockExtension.newInstance()
                .options(options().extensions(gate))
                .build();
    }

    private static WireMockConfiguration options() {
        return WireMockConfiguration.options()
                .bindAddress("127.0.0.1")
                .dynamicPort()
                .jettyAcceptors(1)
                .containerThreads(20);
    }
}
