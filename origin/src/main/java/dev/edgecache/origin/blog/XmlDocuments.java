package dev.edgecache.origin.blog;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.util.List;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;
import org.jspecify.annotations.Nullable;

/**
 * The blog's XML documents, the Atom feed ({@code /{user}/feed.xml}) and the sitemap, written with StAX so every
 * value is escaped by the writer. Links are absolute, under the configured public URL. Thread-safe.
 */
final class XmlDocuments {
    private static final String ATOM = "http://www.w3.org/2005/Atom";
    private static final String SITEMAP = "http://www.sitemaps.org/schemas/sitemap/0.9";
    private static final XMLOutputFactory FACTORY = XMLOutputFactory.newFactory();

    /** One feed entry: {@code html} is the post's sanitised HTML, escaped again as Atom text. */
    record Entry(long id, String author, String title, String url, long published, long updated, String html) {}

    /** One sitemap URL; {@code lastModified} is epoch millis or null. */
    record Location(String path, @Nullable Long lastModified) {}

    private final URI publicUrl;
    private final String host;

    XmlDocuments(URI publicUrl) {
        String base = publicUrl.toString();
        this.publicUrl = URI.create(base.endsWith("/") ? base.substring(0, base.length() - 1) : base);
        this.host = publicUrl.getHost();
    }

    /** One author's feed, {@code /{user}/feed.xml}. */
    byte[] feed(String username, List<Entry> entries) {
        return feed(username, "/" + username, "/" + username + "/feed.xml", entries);
    }

    /** The whole site's feed, {@code /feed.xml}: every author, newest first. */
    byte[] siteFeed(String title, List<Entry> entries) {
        return feed(title, "/", "/feed.xml", entries);
    }

    private byte[] feed(String title, String page, String self, List<Entry> entries) {
        return write(w -> {
            w.writeStartElement("feed");
            w.writeDefaultNamespace(ATOM);
            element(w, "title", title);
            element(w, "id", absolute(page));
            link(w, "self", absolute(self));
            link(w, "alternate", absolute(page));
            long updated = entries.stream().mapToLong(Entry::updated).max().orElse(0);
            element(w, "updated", Dates.timestamp(updated));
            for (Entry e : entries) {
                w.writeStartElement("entry");
                element(w, "title", e.title());
                w.writeStartElement("author"); // per entry: valid Atom for one author's feed and the site's
                element(w, "name", e.author());
                w.writeEndElement();
                element(w, "id", "tag:" + host + ",2026:post:" + e.id());
                link(w, "alternate", absolute(e.url()));
                element(w, "published", Dates.timestamp(e.published()));
                element(w, "updated", Dates.timestamp(e.updated()));
                w.writeStartElement("content");
                w.writeAttribute("type", "html");
                w.writeCharacters(e.html());
                w.writeEndElement();
                w.writeEndElement();
            }
            w.writeEndElement();
        });
    }

    byte[] sitemap(List<Location> locations) {
        return write(w -> {
            w.writeStartElement("urlset");
            w.writeDefaultNamespace(SITEMAP);
            for (Location l : locations) {
                w.writeStartElement("url");
                element(w, "loc", absolute(l.path()));
                if (l.lastModified() != null) element(w, "lastmod", Dates.timestamp(l.lastModified()));
                w.writeEndElement();
            }
            w.writeEndElement();
        });
    }

    String absolute(String path) {
        return publicUrl + path;
    }

    private interface Body {
        void write(XMLStreamWriter w) throws XMLStreamException;
    }

    private static byte[] write(Body body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(4096);
        try {
            XMLStreamWriter w = FACTORY.createXMLStreamWriter(out, "UTF-8");
            w.writeStartDocument("UTF-8", "1.0");
            body.write(w);
            w.writeEndDocument();
            w.close();
        } catch (XMLStreamException e) {
            throw new IllegalStateException("cannot write XML", e);
        }
        return out.toByteArray();
    }

    private static void element(XMLStreamWriter w, String name, String text) throws XMLStreamException {
        w.writeStartElement(name);
        w.writeCharacters(text);
        w.writeEndElement();
    }

    private static void link(XMLStreamWriter w, String rel, String href) throws XMLStreamException {
        w.writeEmptyElement("link");
        w.writeAttribute("rel", rel);
        w.writeAttribute("href", href);
    }
}
