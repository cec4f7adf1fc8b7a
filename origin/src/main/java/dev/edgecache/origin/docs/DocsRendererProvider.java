package dev.edgecache.origin.docs;

import dev.edgecache.origin.markdown.Markdown;
import dev.edgecache.origin.render.Renderer;
import dev.edgecache.origin.render.RendererContext;
import dev.edgecache.origin.render.RendererProvider;
import dev.edgecache.origin.view.Templates;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Provides the {@code docs} renderer. Setting {@code root} (default {@value #DEFAULT_ROOT}) is the folder of
 * Markdown files, relative to the working directory.
 */
public final class DocsRendererProvider implements RendererProvider {
    private static final Logger log = LoggerFactory.getLogger(DocsRendererProvider.class);
    public static final String NAME = "docs";
    public static final String DEFAULT_ROOT = "docs";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Renderer create(RendererContext context) {
        Path root = Path.of(context.setting("root", DEFAULT_ROOT));
        if (!Files.isDirectory(root)) log.warn("docs.root-missing root={}", root.toAbsolutePath());
        return new DocsRenderer(root, context.require(Markdown.class), context.require(Templates.class));
    }
}
