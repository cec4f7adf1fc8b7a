package dev.edgecache.ctl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** Rates between the canned readings before.txt and after.txt, worked out by hand from their differences. */
class EdgeRatesTest {
    private static final Scrape BEFORE = Scrape.parse(Metrics.text("before.txt"));
    private static final Scrape AFTER = Scrape.parse(Metrics.text("after.txt"));

    private final EdgeRates twoSeconds = EdgeRates.between(BEFORE, AFTER, 2.0);

    @Test
    void requestsAndHitRatioOverAllRoutes() {
        EdgeRates.Traffic all = twoSeconds.total();

        // +100 post, +10 login, +40 home in 2 s
        assertThat(all.requests()).isEqualTo(75.0);
        // hits: 80 + 10 (post) + 30 (home); misses: 10 (post) + 10 origin errors (home); the pass is not counted
        assertThat(all.hitRatio()).isCloseTo(120.0 / 140.0, within(1e-9));
        assertThat(all.of("hit-memory")).isEqualTo(55.0);
        assertThat(all.of(EdgeRates.ERRORS)).isEqualTo(5.0);
        assertThat(all.meanSeconds()).isCloseTo(0.005, within(1e-9)); // only post is timed: +0.5 s over +100
    }

    @Test
    void routesComeBusiestFirstWithTheirOwnRatios() {
        assertThat(twoSeconds.routes()).extracting(EdgeRates.Traffic::route).containsExactly("post", "home", "login");

        EdgeRates.Traffic post = twoSeconds.routes().get(0);
        assertThat(post.requests()).isEqualTo(50.0);
        assertThat(post.hitRatio()).isCloseTo(0.9, within(1e-9));
        assertThat(post.meanSeconds()).isCloseTo(0.005, within(1e-9));

        EdgeRates.Traffic home = twoSeconds.routes().get(1);
        assertThat(home.hitRatio()).isCloseTo(0.75, within(1e-9));
        assertThat(home.of(EdgeRates.ERRORS)).isEqualTo(5.0);
        assertThat(home.meanSeconds()).isNaN(); // no duration published for it

        EdgeRates.Traffic login = twoSeconds.routes().get(2);
        assertThat(login.of("pass")).isEqualTo(5.0);
        assertThat(login.hitRatio()).isNaN(); // passes only: no ratio, not 0 %
    }

    @Test
    void originRateErrorsAndLatency() {
        EdgeRates.Origin o = twoSeconds.origin();

        assertThat(o.okPerSecond()).isEqualTo(5.0);
        assertThat(o.errorsPerSecond()).isEqualTo(5.0);
        assertThat(o.timeoutsPerSecond()).isZero();
        assertThat(o.meanSeconds()).isCloseTo(0.025, within(1e-9)); // +0.25 s over +10
        // bucket deltas: <=5ms 5, <=25ms 8, <=100ms 10 of 10
        assertThat(o.p50Seconds()).isEqualTo(0.005);
        assertThat(o.p99Seconds()).isEqualTo(0.1);
        assertThat(o.circuit()).isZero();
    }

    @Test
    void purgesStoresDeployAndProcess() {
        assertThat(twoSeconds.purges()).isEqualTo(new EdgeRates.Purges(1.0, 5.0, 6.0, 52.0));
        assertThat(twoSeconds.stores()).isEqualTo(new EdgeRates.Stores(1234.0, 12_582_912.0, 5000.0, 1_073_741_824.0));
        assertThat(twoSeconds.activeDeploy()).isEqualTo("v2");
        assertThat(twoSeconds.heapBytes()).isEqualTo(150.0 * 1024 * 1024); // heap areas only, not Metaspace
        assertThat(twoSeconds.cpu()).isEqualTo(0.25);
    }

    @Test
    void aCounterThatWentDownCountsFromZeroAsAfterARestart() {
        Scrape before = Scrape.parse("edge_requests_total{outcome=\"pass\",route=\"r\"} 1000\n");
        Scrape after = Scrape.parse("edge_requests_total{outcome=\"pass\",route=\"r\"} 30\n");

        assertThat(EdgeRates.between(before, after, 1.0).total().requests()).isEqualTo(30.0);
    }

    @Test
    void aMeterThatAppearedBetweenTheReadingsCountsFromZero() {
        Scrape after = Scrape.parse("edge_purge_requests_total{kind=\"tags\"} 4\n");

        assertThat(EdgeRates.between(Scrape.parse(""), after, 2.0).purges().callsPerSecond())
                .isEqualTo(2.0);
    }

    @Test
    void aQuantileAboveTheLargestBucketIsInfiniteAndNothingObservedIsNaN() {
        Scrape before = Scrape.parse("""
                edge_origin_duration_seconds_bucket{le="0.1"} 0
                edge_origin_duration_seconds_bucket{le="+Inf"} 0
                """);
        Scrape slow = Scrape.parse("""
                edge_origin_duration_seconds_bucket{le="0.1"} 0
                edge_origin_duration_seconds_bucket{le="+Inf"} 3
                """);

        assertThat(EdgeRates.between(before, slow, 1.0).origin().p99Seconds()).isInfinite();
        assertThat(EdgeRates.between(before, before, 1.0).origin().p99Seconds()).isNaN();
    }

    @Test
    void whatTheEdgeDoesNotPublishIsUnknownNotZero() {
        EdgeRates r = EdgeRates.between(Scrape.parse(""), Scrape.parse(""), 1.0);

        assertThat(r.stores().memoryEntries()).isNaN();
        assertThat(r.heapBytes()).isNaN();
        assertThat(r.cpu()).isNaN();
        assertThat(r.origin().circuit()).isEqualTo(-1);
        assertThat(r.activeDeploy()).isNull();
        assertThat(r.routes()).isEmpty();
    }

    @Test
    void theIntervalMustBePositive() {
        assertThatThrownBy(() -> EdgeRates.between(BEFORE, AFTER, 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("got 0.0");
    }
}
