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

    private static final String HASH = "0123456789abcdef0123456789abcdef";

    private static ImageSizes sizes(int width, int height, boolean webp) {
        return new ImageSizes() {
            @Override
            public java.util.Optional<Size> size(String hash) {
                return hash.equals(HASH) ? java.util.Optional.of(new Size(width, height)) : java.util.Optional.empty();
            }

            @Override
            public boolean webp() {
                return webp;
            }
        };
    }

    @Test
    void uploadedImagesBecomePicturesWithWebPAndTheServedWidths() {
        Markdown md = new Markdown(sizes(2000, 1000, true));
        Element picture = Jsoup.parseBodyFragment(
                        md.render("![A cat](/images/" + HASH + "-1280.png)").html())
                .selectFirst("picture");
        assertThat(picture).isNotNull();
        Element source = picture.selectFirst("source");
        assertThat(source.attr("type")).isEqualTo("image/webp");
        String p = "/images/" + HASH;
        assertThat(source.attr("srcset"))
                .isEqualTo(p + "-320.webp 320w, " + p + "-640.webp 640w, " + p + "-1280.webp 1280w");
        Element img = picture.selectFirst("img");
        assertThat(img.attr("src")).isEqualTo(p + "-1280.png");
        assertThat(img.attr("alt")).isEqualTo("A cat");
        assertThat(img.attr("srcset")).isEqualTo(p + "-320.png 320w, " + p + "-640.png 640w, " + p + "-1280.png 1280w");
        assertThat(img.attr("sizes")).isEqualTo(source.attr("sizes")).isNotEmpty();
        assertThat(img.attr("width")).isEqualTo("1280");
        assertThat(img.attr("height")).isEqualTo("640");

        String small = md.render("![](/images/" + HASH + ".jpg)").html();
        assertThat(Jsoup.parseBodyFragment(small).selectFirst("img").attr("srcset"))
                .as("the original, 2000 wide, tops the list when the author links it")
                .endsWith(p + ".jpg 2000w");
    }

    @Test
    void smallImagesUnknownImagesAndOtherHostsAreLeftAlone() {
        Markdown md = new Markdown(sizes(500, 300, false));
        Element img = Jsoup.parseBodyFragment(
                        md.render("![](/images/" + HASH + ".png)").html())
                .selectFirst("picture > img");
        assertThat(img).isNotNull();
        assertThat(img.attr("srcset")).isEqualTo("/images/" + HASH + "-320.png 320w, /images/" + HASH + ".png 500w");
        assertThat(img.parent().select("source"))
                .as("no WebP where it is not served")
                .isEmpty();
        assertThat(md.render("![](/images/" + "f".repeat(32) + ".png)").html()).doesNotContain("<picture");
        assertThat(md.render("![](https://elsewhere.example/images/" + HASH + ".png)")
                        .html())
                .doesNotContain("<picture");
        assertThat(new Markdown().render("![](/images/" + HASH + ".png)").html())
                .doesNotContain("<picture");
    }

    @Test
    void fencedCodeKeepsOnlyItsLanguageClass() {
        String html =
                markdown.render("```java\nint x = 1;\n```\n\n    indented\n").html();
        assertThat(html).contains("<pre><code class=\"language-java\">int x = 1;");
        assertThat(markdown.render("```java\nx\n```").hasCode()).isTrue();
        assertThat(markdown.render("    indented").hasCode())
                .as("no language, nothing to highlight")
                .isFalse();
        assertThat(markdown.render("```\"onmouseover=alert(1)\nx\n```").html())
                .doesNotContain("onmouseover=")
                .doesNotContain("class=");
        assertThat(Jsoup.parseBodyFragment(markdown.render("```evil onclick=x\nx\n```\n\n<code class=\"hljs\">x</code>")
                                .html())
                        .select("[class]"))
                .extracting(e -> e.attr("class"))
                .containsExactly("language-evil");
    }
}
