package dev.edgecache.origin.markdown;

import static org.assertj.core.api.Assertions.assertThat;

import org.jsoup.Jsoup;
import org.jsoup.nodes.Attribute;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MarkdownTest {
    private final Markdown markdown = new Markdown();

    @Test
    void rendersCommonMark() {
        String html = markdown.render("# Title\n\nSome *emphasis* and `code`.\n\n- a\n- b\n")
                .html();
        assertThat(html).contains("<h1>Title</h1>", "<em>emphasis</em>", "<code>code</code>", "<li>a</li>");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "<script>alert(1)</script>",
                "hello <script>alert(1)</script> inline",
                "<img src=x onerror=alert(1)>",
                "<iframe src=\"https://evil.example\"></iframe>",
                "[click](javascript:alert(1))",
                "![img](javascript:alert(1))",
                "[click](JaVaScRiPt:alert(1))",
                "<a href=\"javascript:alert(1)\">x</a>",
                "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
                "<svg onload=alert(1)>"
            })
    void noMarkupFromThePostSurvivesAsActiveHtml(String evil) {
        Document doc = Jsoup.parseBodyFragment(markdown.render(evil).html());
        assertThat(doc.select("script, iframe, svg, object, embed, style")).isEmpty();
        for (Element e : doc.body().getAllElements()) {
            for (Attribute a : e.attributes()) {
                assertThat(a.getKey()).as("attribute on <%s>", e.tagName()).doesNotStartWith("on");
                assertThat(a.getValue().toLowerCase(java.util.Locale.ROOT).strip())
                        .doesNotStartWith("javascript:")
                        .doesNotStartWith("data:");
            }
        }
    }

    @Test
    void rawHtmlIsShownAsText() {
        assertThat(markdown.render("<script>alert(1)</script>").html()).contains("&lt;script&gt;");
    }

    @Test
    void safeLinksKeepTheirTargetAndGetNofollow() {
        String html =
                markdown.render("[a](https://example.com/x) and [b](/bob)").html();
        assertThat(html).contains("href=\"https://example.com/x\"", "href=\"/bob\"", "rel=\"nofollow ugc\"");
    }

    @Test
    void excerptsArePlainTextAndShort() {
        assertThat(markdown.excerpt("**Bold** <b>x</b> text", 100)).isEqualTo("Bold <b>x</b> text");
        assertThat(markdown.excerpt("word ".repeat(100), 20))
                .hasSizeLessThanOrEqualTo(20)
                .endsWith("…");
    }
}
