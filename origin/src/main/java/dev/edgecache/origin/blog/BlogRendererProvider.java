package dev.edgecache.origin.blog;

import dev.edgecache.origin.db.Database;
import dev.edgecache.origin.markdown.Markdown;
import dev.edgecache.origin.render.Renderer;
import dev.edgecache.origin.render.RendererContext;
import dev.edgecache.origin.render.RendererProvider;
import dev.edgecache.origin.view.Templates;

/** Provides the {@code blog} renderer, the default for every route. Needs the origin's database and templates. */
public final class BlogRendererProvider implements RendererProvider {
    public static final String NAME = "blog";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Renderer create(RendererContext context) {
        return new BlogRenderer(
                context.require(Database.class),
                context.require(Templates.class),
                context.require(Markdown.class),
                context.publicUrl());
    }
}
