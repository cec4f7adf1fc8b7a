package dev.edgecache.proxy.testing;

import com.github.tomakehurst.wiremock.extension.ResponseDefinitionTransformerV2;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Holds the origin's answers to stubs that name it ({@code .withTransformers(OriginGate.NAME)}) until the test
 * {@link #open opens} it: a render stays in flight exactly as long as the test needs, where a fixed delay would
 * be a guess that a slow machine can lose. Register it with {@link Origins#wireMock(OriginGate)}; a held answer
 * is released after {@link #LIMIT} at the latest, so a failed test cannot hang the origin.
 */
public final class OriginGate implements ResponseDefinitionTransformerV2 {
    public static final String NAME = "gate";
    private static final Duration LIMIT = Duration.ofSeconds(30);

    private volatile CountDownLatch opened = new CountDownLatch(1);
    private final AtomicInteger held = new AtomicInteger();

    /** Holds every gated answer from now until {@link #open()}. */
    public void close() {
        held.set(0);
        opened = new CountDownLatch(1);
    }

    /** Lets every held answer, and every later one, go. */
    public void open() {
        opened.countDown();
    }

    /** How many requests reached the gate since it was last closed. */
    public int held() {
        return held.get();
    }

    @Override
    public ResponseDefinition transform(ServeEvent serveEvent) {
        CountDownLatch latch = opened;
        held.incrementAndGet();
        try {
            latch.await(LIMIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return serveEvent.getResponseDefinition();
    }

    @Override
    public boolean applyGlobally() {
        return false;
    }

    @Override
    public String getName() {
        return NAME;
    }
}
