package dev.edgecache.proxy.testing;

import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;

/** A WireMock origin on a loopback dynamic port (STYLE 11; VERSIONS pitfall 11). */
public final class Origins {
    private Origins() {}

    public static WireMockExtension wireMock() {
        return WireMockExtension.newInstance()
                .options(options()
                        .bindAddress("127.0.0.1")
                        .dynamicPort()
                        .jettyAcceptors(1)
                        .containerThreads(20))
                .build();
    }
}
