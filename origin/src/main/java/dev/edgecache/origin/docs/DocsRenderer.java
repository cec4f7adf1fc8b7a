package dev.edgecache.origin.docs;

import dev.edgecache.origin.markdown.Markdown;
import dev.edgecache.origin.markdown.SafeHtml;
import dev.edgecache.origin.render.CacheHints;
import dev.edgecache.origin.render.RenderRequest;
import dev.edgecache.origin.render.RenderedPage;
import dev.edgecache.origin.render.Renderer;
import dev.edgecache.origin.view.DocsView;
import dev.edgecache.origin.view.MessageView;
import dev.edgecache.origin.view.Templates;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;

/**
 * Serves Markdown files from one folder as HTML: the part of the path below the mount ({@link RenderRequest#REST})
 * names the file without {@code .md}; the mount itself serves {@code index.md}. Only names of letters, digits,
 * {@code -} and {@code _} are looked up, so no path can leave the folder. Files are read on every request; the edge
 * caches the result (tag {@code docs}, plus {@code docs:<name>}). Thread-safe.
 */
final class DocsRenderer implements Renderer {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-]+(/[A-Za-z0-9_-]+)*");
    static final String TAG = "docs";

    private final Path root;
    private final Markdown markdown;
    private final Templates templates;

    DocsRenderer(Path root, Markdown markdown, Templates templates) {
        this.root = root.toAbsolutePath().normalize();
        this.markdown = markdown;
        this.templates = templates;
    }

    @Override
    public RenderedPage render(RenderRequest request) {
        String rest = request.pathVariables().getOrDefault(RenderRequest.REST, "");
        String name = rest.isEmpty() ? "index" : rest;
        if (!NAME.matcher(name).matches()) return notFound();
        Path file = root.resolve(name + ".md").normalize();
        if (!file.startsWith(root) || !Files.isRegularFile(file)) return notFound();
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return notFound();
        }
        SafeHtml html = markdown.render(text);
        String page = templates.render("docs.jte", new DocsView(titleOf(text, name), html));
        return RenderedPage.html(200, page, CacheHints.tags(TAG, TAG + ":" + name));
    }

    /** The first {@code # heading}, or the file name. */
    static String titleOf(String markdownText, String fallback) {
        for (String line : markdownText.split("\n", 50)) {
            if (line.startsWith("# ")) return line.substring(2).strip();
        }
        return fallback;
    }

    private RenderedPage notFound() {
        String html = templates.render(
                "message.jte", new MessageView(404, "Not found", "There is no documentation page at this address."));
        return RenderedPage.html(404, html, CacheHints.tags(TAG));
    }
}
