package dev.edgecache.origin.markdown;

/**
 * HTML that has been through {@link Markdown}'s escaping and sanitising, and therefore may be written into a page
 * without further escaping. Only this package can make one, so templates that print it raw are easy to audit.
 */
public final class SafeHtml {
    private final String html;

    SafeHtml(String html) {
        this.html = html;
    }

    public String html() {
        return html;
    }

    /** Whether it holds a fenced code block with a language, which the page then highlights. */
    public boolean hasCode() {
        return html.contains("<pre><code class=\"language-");
    }

    @Override
    public String toString() {
        return html;
    }
}
