package dev.edgecache.origin.blog;

import dev.edgecache.origin.account.Usernames;
import dev.edgecache.origin.db.Database;
import dev.edgecache.origin.markdown.Markdown;
import dev.edgecache.origin.render.CacheHints;
import dev.edgecache.origin.render.RenderRequest;
import dev.edgecache.origin.render.RenderedPage;
import dev.edgecache.origin.render.Renderer;
import dev.edgecache.origin.view.HomeView;
import dev.edgecache.origin.view.MessageView;
import dev.edgecache.origin.view.PostListView;
import dev.edgecache.origin.view.PostSummary;
import dev.edgecache.origin.view.PostView;
import dev.edgecache.origin.view.ProfileView;
import dev.edgecache.origin.view.Templates;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The blog's public pages: {@code /}, {@code /sitemap.xml}, {@code /{user}}, {@code /{user}/posts?page=N},
 * {@code /{user}/feed.xml}, {@code /{user}/{slug}}, and a 404 page for everything else. Only published posts are
 * ever shown. Pages never depend on the request's user, so the edge can share them. Thread-safe.
 */
final class BlogRenderer implements Renderer {
    static final int PAGE_SIZE = 10;
    static final int HOME_SIZE = 20;
    static final int FEED_SIZE = 20;
    static final int SITEMAP_MAX = 50_000;
    private static final int EXCERPT = 200;

    private final Database db;
    private final Templates templates;
    private final Markdown markdown;
    private final XmlDocuments xml;

    BlogRenderer(Database db, Templates templates, Markdown markdown, URI publicUrl) {
        this.db = db;
        this.templates = templates;
        this.markdown = markdown;
        this.xml = new XmlDocuments(publicUrl);
    }

    @Override
    public RenderedPage render(RenderRequest request) {
        String path = request.path();
        if (path.equals("/")) return home();
        if (path.equals("/sitemap.xml")) return sitemap();
        String[] parts = path.substring(1).split("/", -1);
        if (parts.length == 0 || parts.length > 2 || !Usernames.looksValid(parts[0])) return notFound(List.of());
        String user = parts[0];
        if (parts.length == 1) return profile(user);
        return switch (parts[1]) {
            case "posts" -> listing(user, request.queryParam("page").orElse("1"));
            case "feed.xml" -> feed(user);
            default -> post(user, parts[1]);
        };
    }

    private RenderedPage home() {
        List<Post> posts = db.read(c -> PostRepository.latestPublished(c, HOME_SIZE));
        return page(200, "home.jte", new HomeView(summaries(posts)), CacheHints.tags(PurgeTags.HOME));
    }

    private RenderedPage profile(String user) {
        record Profile(boolean exists, long count, List<Post> latest) {}
        Profile p = db.read(c -> new Profile(
                PostRepository.userExists(c, user),
                PostRepository.countPublished(c, user),
                PostRepository.publishedByUser(c, user, 0, PAGE_SIZE)));
        if (!p.exists()) return notFound(List.of(PurgeTags.user(user)));
        return page(
                200,
                "profile.jte",
                new ProfileView(user, summaries(p.latest()), p.count()),
                CacheHints.tags(PurgeTags.user(user)));
    }

    private RenderedPage listing(String user, String pageText) {
        int page;
        try {
            page = Integer.parseInt(pageText);
        } catch (NumberFormatException e) {
            return notFound(List.of(PurgeTags.user(user)));
        }
        if (page < 1 || page > 100_000) return notFound(List.of(PurgeTags.user(user)));
        int offset = (page - 1) * PAGE_SIZE;
        record Listing(boolean exists, List<Post> posts) {}
        Listing l = db.read(c -> new Listing(
                PostRepository.userExists(c, user), PostRepository.publishedByUser(c, user, offset, PAGE_SIZE + 1)));
        if (!l.exists() || (page > 1 && l.posts().isEmpty())) return notFound(List.of(PurgeTags.user(user)));
        boolean hasNext = l.posts().size() > PAGE_SIZE;
        List<Post> shown = hasNext ? l.posts().subList(0, PAGE_SIZE) : l.posts();
        return page(
                200,
                "posts.jte",
                new PostListView(user, summaries(shown), page, hasNext),
                CacheHints.tags(PurgeTags.user(user)));
    }

    private RenderedPage post(String user, String slug) {
        String tag = PurgeTags.post(user, slug);
        if (!Slugs.isValid(slug)) return notFound(List.of(tag));
        record Found(Optional<Post> published, Optional<Post> moved) {}
        Found found = db.read(c -> {
            Optional<Post> published = PostRepository.findPublished(c, user, slug);
            if (published.isPresent()) return new Found(published, Optional.empty());
            Optional<Long> movedId = SlugHistory.postFor(c, user, slug);
            return new Found(
                    Optional.empty(), movedId.isEmpty() ? Optional.empty() : PostRepository.findById(c, movedId.get()));
        });
        if (found.moved().isPresent()) return moved(user, slug, found.moved().get());
        if (found.published().isEmpty()) return notFound(List.of(tag));
        Post p = found.published().get();
        PostView view = new PostView(user, p.title(), markdown.render(p.body()), Dates.day(publishedAt(p)));
        return page(200, "post.jte", view, CacheHints.tags(tag));
    }

    /**
     * An old slug of {@code post}: 301 to its current URL while it is published, else 404. Either way tagged with
     * both slugs, so the purge of the post's current URL (edit, new slug, unpublish, delete) also purges this.
     */
    private RenderedPage moved(String user, String oldSlug, Post post) {
        CacheHints hints = CacheHints.tags(PurgeTags.post(user, oldSlug), PurgeTags.post(user, post.slug()));
        if (!post.isPublic()) return notFound(hints.tags());
        MessageView view = new MessageView(301, "Moved", "This post has moved to " + post.url() + ".");
        return RenderedPage.movedPermanently(post.url(), templates.render("message.jte", view), hints);
    }

    private RenderedPage feed(String user) {
        record Feed(boolean exists, List<Post> posts) {}
        Feed f = db.read(c ->
                new Feed(PostRepository.userExists(c, user), PostRepository.publishedByUser(c, user, 0, FEED_SIZE)));
        if (!f.exists()) return notFound(List.of(PurgeTags.user(user)));
        List<XmlDocuments.Entry> entries = f.posts().stream()
                .map(p -> new XmlDocuments.Entry(
                        p.id(),
                        p.title(),
                        p.url(),
                        publishedAt(p),
                        p.updatedAt(),
                        markdown.render(p.body()).html()))
                .toList();
        return new RenderedPage(
                200,
                "application/atom+xml; charset=utf-8",
                xml.feed(user, entries),
                CacheHints.tags(PurgeTags.user(user)));
    }

    private RenderedPage sitemap() {
        List<Post> posts = db.read(c -> PostRepository.latestPublished(c, SITEMAP_MAX));
        List<XmlDocuments.Location> locations = new ArrayList<>();
        locations.add(new XmlDocuments.Location(
                "/", posts.isEmpty() ? null : posts.get(0).updatedAt()));
        posts.stream()
                .map(Post::username)
                .distinct()
                .forEach(u -> locations.add(new XmlDocuments.Location("/" + u, null)));
        for (Post p : posts) locations.add(new XmlDocuments.Location(p.url(), p.updatedAt()));
        return new RenderedPage(
                200, "application/xml; charset=utf-8", xml.sitemap(locations), CacheHints.tags(PurgeTags.SITEMAP));
    }

    private RenderedPage notFound(List<String> tags) {
        MessageView view = new MessageView(404, "Not found", "There is no page at this address.");
        return page(404, "message.jte", view, new CacheHints(tags, Optional.empty(), false));
    }

    private RenderedPage page(int status, String template, Object view, CacheHints hints) {
        return RenderedPage.html(status, templates.render(template, view), hints);
    }

    private List<PostSummary> summaries(List<Post> posts) {
        return posts.stream()
                .map(p -> new PostSummary(
                        p.username(),
                        p.slug(),
                        p.title(),
                        markdown.excerpt(p.body(), EXCERPT),
                        Dates.day(publishedAt(p))))
                .toList();
    }

    private static long publishedAt(Post p) {
        return p.publishedAt() == null ? p.updatedAt() : p.publishedAt();
    }
}
