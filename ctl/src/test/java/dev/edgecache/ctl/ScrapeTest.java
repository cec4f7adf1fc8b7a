package dev.edgecache.ctl;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ScrapeTest {
    @Test
    void readsNamesLabelsAndValuesAndSkipsComments() {
        Scrape s = Scrape.parse("""
                # HELP edge_requests_total Client requests
                # TYPE edge_requests_total counter
                edge_requests_total{outcome="hit-memory",route="post"} 180.0
                edge_requests_total{outcome="pass",route="login"} 1.5E1
                edge_purged_keys_total 52
                """);

        assertThat(s.samples("edge_requests_total")).hasSize(2);
        assertThat(s.samples("edge_requests_total").getFirst().labels())
                .containsEntry("outcome", "hit-memory")
                .containsEntry("route", "post");
        assertThat(s.sum("edge_requests_total")).isEqualTo(195.0);
        assertThat(s.sum("edge_requests_total", "route", "login")).isEqualTo(15.0);
        assertThat(s.sum("edge_purged_keys_total")).isEqualTo(52.0);
        assertThat(s.has("# HELP")).isFalse();
        assertThat(s.samples("edge_missing")).isEmpty();
    }

    @Test
    void labelValuesMayHoldEscapesCommasAndBraces() {
        Scrape s = Scrape.parse("jvm_memory_used_bytes{area=\"nonheap\",id=\"CodeHeap 'a, \\\"b\\\" {c}\\\\'\"} 3.0\n");

        assertThat(s.samples("jvm_memory_used_bytes")).singleElement().satisfies(x -> {
            assertThat(x.label("id")).isEqualTo("CodeHeap 'a, \"b\" {c}\\'");
            assertThat(x.value()).isEqualTo(3.0);
        });
    }

    @Test
    void infinitiesNanAndTimestampsAreRead() {
        Scrape s = Scrape.parse("""
                a_bucket{le="+Inf"} +Inf
                b NaN
                c -Inf
                d 7 1700000000000
                """);

        assertThat(s.sum("a_bucket")).isInfinite();
        assertThat(s.sum("b")).isNaN();
        assertThat(s.sum("c")).isEqualTo(Double.NEGATIVE_INFINITY);
        assertThat(s.sum("d")).isEqualTo(7.0);
    }

    @Test
    void linesItCannotReadAreSkippedNotFatal() {
        Scrape s = Scrape.parse("""
                good 1
                bad{unclosed="x 2
                bad_value abc
                {no_name="x"} 3
                also_good{a="b"} 4
                """);

        assertThat(s.has("good")).isTrue();
        assertThat(s.has("also_good")).isTrue();
        assertThat(s.has("bad")).isFalse();
        assertThat(s.has("bad_value")).isFalse();
    }

    @Test
    void readsAWholeAnswerOfARealEdge() {
        Scrape s = Scrape.parse(Metrics.text("edge-scrape.txt"));

        // 5 requests on each of the routes assets, home and default (4 hits and a miss, 4 hits and a miss, 5 passes)
        assertThat(s.sum(EdgeRates.REQUESTS)).isEqualTo(15.0);
        assertThat(s.sum(EdgeRates.REQUESTS, "outcome", "hit-memory")).isEqualTo(8.0);
        assertThat(s.sum(EdgeRates.REQUESTS, "route", "default")).isEqualTo(5.0);
        assertThat(s.sum(EdgeRates.ORIGIN_REQUESTS, "result", "ok")).isEqualTo(7.0);
        assertThat(s.sum(EdgeRates.PURGE_REQUESTS, "kind", "urls")).isEqualTo(1.0);
        assertThat(s.samples(EdgeRates.DEPLOY_ACTIVE))
                .singleElement()
                .satisfies(x -> assertThat(x.label("deploy")).isEqualTo("initial"));
        assertThat(s.samples(EdgeRates.ORIGIN_DURATION + "_bucket")).hasSizeGreaterThan(10);
        assertThat(s.has(EdgeRates.HEAP_USED)).isTrue();
        assertThat(s.has(EdgeRates.PROCESS_CPU)).isTrue();
    }
}
