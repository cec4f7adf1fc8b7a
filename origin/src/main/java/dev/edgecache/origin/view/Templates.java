package dev.edgecache.origin.view;

import gg.jte.ContentType;
import gg.jte.TemplateEngine;
import gg.jte.output.StringOutput;

/**
 * The origin's jte templates ({@code origin/src/main/jte}), compiled to Java at build time and HTML-escaped by
 * default. Each page template takes one view record from this package. Thread-safe.
 */
public final class Templates {
    private final TemplateEngine engine = TemplateEngine.createPrecompiled(
            null, ContentType.Html, Templates.class.getClassLoader(), "dev.edgecache.origin.templates");

    /** Renders {@code name} (e.g. {@code post.jte}) with its single view parameter. */
    public String render(String name, Object view) {
        StringOutput out = new StringOutput(8192);
        engine.render(name, view, out);
        return out.toString();
    }
}
