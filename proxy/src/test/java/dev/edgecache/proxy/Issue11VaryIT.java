package dev.edgecache.proxy;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static dev.edgecache.proxy.HttpRouteIT.page;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.edgecache.proxy.testing.EdgeServerExtension;
import dev.edgecache.proxy.testing.Http;
import dev.edgecache.proxy.testing.Origins;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 11.2: {@code Vary} on any request field, values normalised as RFC 9111 §4.1 allows, end to end on http
 * routes. Each test says which requests must share a stored response and checks it by what the origin received.
 */
class Issue11VaryIT {
    @RegisterExtension
    static WireMockExtension origin = Origins.wireMock();

    @RegisterExtension
    final EdgeServerExtension edge = new EdgeServerExtension(origin::getPort, HttpRouteIT.ROUTES);

    private static String status(HttpResponse<String> r) {
        String s = r.headers().firstValue("Cache-Status").orElse("");
        // what this class checks is hit, stored miss or unstored miss; other helpers may add details to the latter
        if (s.startsWith("edge; fwd=miss") && s.endsWith("; stored")) return "edge; fwd=miss; stored";
        if (s.startsWith("edge; fwd=miss")) return "edge; fwd=miss";
        return s;
    }

    private HttpResponse<String> request(String path, String... headers) {
        return Http.get(edge.port(), path, headers);
    }

    /** An origin that renders the value it received of {@code field} into the body, and varies on it. */
    private static void echoing(String path, String field, String... vary) {
        var response = page("{{request.headers." + field + "}}", "Cache-Control", "max-age=600")
                .withTransformers("response-template");
        for (String v : vary) response = response.withHeader("Vary", v);
        origin.stubFor(get(path).willReturn(response));
    }

    @Test
    void languageTagsMatchWhateverTheirCaseSpacingAndWeightOrder() { // RFC 9111 §4.1, RFC 9110 §12.5.4
        echoing("/docs/lang", "Accept-Language", "Accept-Language");
        HttpResponse<String> first = request("/docs/lang", "Accept-Language", "en-US, de;q=0.5");
        assertThat(status(first)).isEqualTo("edge; fwd=miss; stored");
        for (String same : List.of("EN-us,de;q=0.50", "  en-US ,  DE;Q=0.5", "de;q=0.5, en-US")) {
            HttpResponse<String> r = request("/docs/lang", "Accept-Language", same);
            assertThat(status(r)).as(same).isEqualTo("edge; hit");
            assertThat(r.body()).isEqualTo(first.body());
        }
        HttpResponse<String> lines =
                Http.get(edge.port(), "/docs/lang", "Accept-Language", "en-us", "Accept-Language", "de;q=0.5");
        assertThat(status(lines)).as("two lines are one list (RFC 9110 §5.3)").isEqualTo("edge; hit");
        for (String other : List.of("de, en-US", "en-US, de;q=0.6", "en-GB, de;q=0.5")) {
            assertThat(status(request("/docs/lang", "Accept-Language", other)))
                    .as(other)
                    .isEqualTo("edge; fwd=miss; stored");
        }
        origin.verify(4, getRequestedFor(urlEqualTo("/docs/lang")));
    }

    @Test
    void mediaTypesAreCaseInsensitiveAndTheirParameterValuesAreNot() { // RFC 9110 §8.3.1, §5.6.6, §12.5.1
        echoing("/docs/accept", "Accept", "Accept");
        request("/docs/accept", "Accept", "text/html;level=1, application/json;q=0.5");
        assertThat(status(request("/docs/accept", "Accept", "Text/HTML; Level=1,application/json; q=0.500")))
                .isEqualTo("edge; hit");
        assertThat(status(request("/docs/accept", "Accept", "text/html;level=\"1\", application/json;q=0.5")))
                .as("a quoted value is kept as sent")
                .isEqualTo("edge; fwd=miss; stored");
        origin.verify(2, getRequestedFor(urlEqualTo("/docs/accept")));
    }

    @Test
    void everyVaryLineAndEveryFieldCounts() { // RFC 9111 §4.1, RFC 9110 §5.3 and §12.5.5
        origin.stubFor(get("/docs/two")
                .willReturn(page(
                                "{{request.headers.Accept}} {{request.headers.Accept-Language}}",
                                "Cache-Control",
                                "max-age=600",
                                "Vary",
                                "Accept")
                        .withHeader("Vary", "accept-language")
                        .withTransformers("response-template")));
        request("/docs/two", "Accept", "text/html", "Accept-Language", "en");
        assertThat(status(request("/docs/two", "Accept-Language", "en", "Accept", "text/html", "User-Agent", "other")))
                .as("other fields and field order do not matter")
                .isEqualTo("edge; hit");
        assertThat(status(request("/docs/two", "Accept", "text/html", "Accept-Language", "fr")))
                .as("the second Vary line's field")
                .isEqualTo("edge; fwd=miss; stored");
        assertThat(status(request("/docs/two", "Accept", "text/html")))
                .as("a field the stored request had is absent (RFC 9111 §4.1)")
                .isEqualTo("edge; fwd=miss; stored");
        assertThat(status(request("/docs/two", "Accept", "text/html"))).isEqualTo("edge; hit");
        origin.verify(3, getRequestedFor(urlEqualTo("/docs/two")));
    }

    @Test
    void aUserAgentIsNotAListSoItsCommasAreText() { // RFC 9110 §10.1.5
        echoing("/docs/ua", "User-Agent", "User-Agent");
        request("/docs/ua", "User-Agent", "Mozilla/5.0 (KHTML, like Gecko)");
        assertThat(status(request("/docs/ua", "User-Agent", "Mozilla/5.0 (KHTML, like Gecko)")))
                .isEqualTo("edge; hit");
        assertThat(status(request("/docs/ua", "User-Agent", "Mozilla/5.0 (KHTML,like Gecko)")))
                .isEqualTo("edge; fwd=miss; stored");
    }

    @Test
    void readersShareAVariantOnlyWhenTheOriginSawTheSameValue() { // RFC 9111 §4.1, issue 11.1 and 11.2
        // Vary: Origin (CORS) and a custom field: every reader must get what the origin rendered for what it was
        // sent. Until every end-to-end field is forwarded (issue 11.1) the origin sees neither and one variant is
        // right; once they are, each value gets its own. The test holds either way and checks which one happened.
        echoing("/docs/cors", "Origin", "Origin");
        echoing("/docs/custom", "X-Tenant", "X-Tenant");
        assertVariantsFollowWhatTheOriginSaw("/docs/cors", "Origin", "https://a.example", "https://b.example");
        assertVariantsFollowWhatTheOriginSaw("/docs/custom", "X-Tenant", "a", "b");
    }

    private void assertVariantsFollowWhatTheOriginSaw(String path, String field, String a, String b) {
        HttpResponse<String> firstA = request(path, field, a);
        HttpResponse<String> firstB = request(path, field, b);
        HttpResponse<String> againA = request(path, field, a);
        HttpResponse<String> againB = request(path, field, b);
        assertThat(againA.body()).isEqualTo(firstA.body());
        assertThat(againB.body()).isEqualTo(firstB.body());
        assertThat(status(againA)).isEqualTo("edge; hit");
        assertThat(status(againB)).isEqualTo("edge; hit");
        List<LoggedRequest> seen = origin.findAll(getRequestedFor(urlEqualTo(path)));
        if (seen.get(0).containsHeader(field)) { // forwarded: one variant per value, each rendered for its value
            assertThat(seen).hasSize(2);
            assertThat(firstA.body()).isEqualTo(a);
            assertThat(firstB.body()).isEqualTo(b);
        } else { // not forwarded: the origin rendered one page for everyone, so one variant
            assertThat(seen).hasSize(1);
            assertThat(firstB.body()).isEqualTo(firstA.body());
        }
    }

    @Test
    void aFieldTheEdgeNeverForwardsSelectsNothing() { // RFC 9111 §4.1 on the request as forwarded
        echoing("/docs/enc", "Accept-Language", "Accept-Encoding, Accept-Language");
        request("/docs/enc", "Accept-Language", "en", "Accept-Encoding", "gzip");
        assertThat(status(request("/docs/enc", "Accept-Language", "en", "Accept-Encoding", "br")))
                .isEqualTo("edge; hit");
        assertThat(status(request("/docs/enc", "Accept-Language", "en"))).isEqualTo("edge; hit");
        origin.verify(1, getRequestedFor(urlEqualTo("/docs/enc")));
        origin.verify(0, getRequestedFor(urlEqualTo("/docs/enc")).withHeader("Accept-Encoding", equalTo("gzip")));
    }

    @Test
    void aVaryThatCanNeverMatchIsNeverStored() { // RFC 9111 §4.1, RFC 9110 §12.5.5
        for (String vary : List.of("Accept, *", "Accept Language")) {
            String path = "/docs/never-" + vary.length();
            origin.stubFor(get(path).willReturn(page("x", "Cache-Control", "max-age=600", "Vary", vary)));
            request(path);
            assertThat(status(request(path))).as(vary).isEqualTo("edge; fwd=miss");
            origin.verify(2, getRequestedFor(urlEqualTo(path)));
        }
    }
}
