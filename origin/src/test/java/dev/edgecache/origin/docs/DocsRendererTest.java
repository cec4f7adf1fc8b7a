package dev.edgecache.origin.docs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.edgecache.origin.markdown.Markdown;
import dev.edgecache.origin.render.RenderRequest;
import dev.edgecache.origin.render.RenderedPage;
import dev.edgecache.origin.view.Templates;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DocsRendererTest {
    @TempDir
    Path dir;

    private DocsRenderer renderer;

    @BeforeEach
    void setUp() throws Exception {
        Path root = Files.createDirectories(dir.resolve("docs"));
        Files.writeString(root.resolve("index.md"), "# Start\n\nWelcome <script>x()</script>");
        Files.createDirectories(root.resolve("guide"));
        Files.writeString(root.resolve("guide/intro.md"), "# Intro\n\ntext");
        Files.writeString(dir.resolve("secret.md"), "# Secret");
        renderer = new DocsRenderer(root, new Markdown(), new Templates());
    }

    private RenderedPage get(String rest) {
        return renderer.render(new RenderRequest("/docs/" + rest, Map.of("**", rest), Map.of(), Optional.empty()));
    }

    private static String body(RenderedPage p) {
        return new String(p.body(), StandardCharsets.UTF_8);
    }

    @Test
    void theMountServesIndexAndNestedNamesServeTheirFiles() {
        RenderedPage index = get("");
        assertThat(index.status()).isEqualTo(200);
        assertThat(body(index)).contains("<title>Start · Edge blog</title>", "&lt;script&gt;");
        assertThat(index.cache().tags()).containsExactly("docs", "docs:index");
        assertThat(body(get("guide/intro"))).contains("<h1>Intro</h1>");
    }

    @Test
    void namesOutsideTheFolderOrWithOddCharactersAre404() {
        for (String rest : new String[] {"../secret", "..", "guide/../../secret", "nothing", "index.md", "a%2Fb"}) {
            assertThat(get(rest).status()).as(rest).isEqualTo(404);
        }
    }
}
