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
import dev.edgecache.origin.view.SearchView;
import dev.edgecache.origin.view.TagView;
import dev.edgecache.origin.view.Templates;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The blog's public pages: {@code /?page=N}, {@code /sitemap.xml}, {@code /feed.xml}, {@code /robots.txt},
 * {@code /search?q=…&page=N}, {@code /tags/{tag}?page=N}, {@code /{user}}, {@code /{user}/posts?page=N},
 * {@code /{user}/feed.xml}, {@code /{user}/{slug}} (a 301 for an old slug), and a 404 page for everything else. Only published posts are
 * ever shown. Pages never depend on the request's user, so the edge can share them. Thread-safe.
 */
final class BlogRenderer implements Renderer {
    static final int PAGE_SIZE = 10;
    static final int HOME_SIZE = 20;
    static final int FEED_SIZE = 20;
    static final int SITEMAP_MAX = 50_000;
    static final int SEARCH_SIZE = 10;
    static final int MAX_PAGE = 100_000;
    static final int MAX_QUERY_TERMS = 8;
    static final String SITE_TITLE = "Edge blog";
    private static final int EXCERPT = 200;
    private static final int WORDS_PER_MINUTE = 230;
    private static final Pattern WORDS = Pattern.compile("[\\p{L}\\p{N}]+");

    private final Database db;
    private final Templates templates;
    private final Markdown markdown;
    private final XmlDocuments xml;
    private final String robots;

    BlogRenderer(Database db, Templates templates, Markdown markdown, URI publicUrl) {
        this.db = db;
        this.templates = templates;
        this.markdown = markdown;
        this.xml = new XmlDocuments(publicUrl);
        this.robots = String.join(
                "\n",
                "User-agent: *",
                "Disallow: /editor/",
                "Disallow: /dashboard",
                "Disallow: /api/",
                "Disallow: /preview/",
                "Disallow: /login",
                "Disallow: /signup",
                "Disallow: /search",
                "Sitemap: " + xml.absolute("/sitemap.xml"),
                "");
    }

    @Override
    public RenderedPage render(RenderRequest request) {
        String path = request.path();
        if (path.equals("/")) return home(page(request));
        if (path.equals("/sitemap.xml")) return sitemap();
        if (path.equals("/feed.xml")) return siteFeed();
        if (path.equals("/robots.txt")) return robots();
        if (path.equals("/search")) return search(request.queryParam("q").orElse(""), page(request));
        if (path.startsWith("/tags/")) return tagListing(path.substring("/tags/".length()), page(request));
        String[] parts = path.substring(1).split("/", -1);
        if (parts.length == 0 || parts.length > 2 || !Usernames.looksValid(parts[0])) return notFound(List.of());
        String user = parts[0];
        if (parts.length == 1) return profile(user);
        return switch (parts[1]) {
            case "posts" -> listing(user, page(request));
            case "feed.xml" -> feed(user);
            default -> post(user, parts[1]);
        };
    }

    /** The {@code page} query parameter, 1 when absent, -1 when it is not a page number. */
    private static int page(RenderRequest request) {
        String text = request.queryParam("page").orElse("1");
        try {
            int page = Integer.parseInt(text);
            return page >= 1 && page <= MAX_PAGE ? page : -1;
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private RenderedPage home(int page) {
        if (page < 1) return notFound(List.of(PurgeTags.HOME));
        List<Post> posts = db.read(c -> PostRepository.latestPublished(c, (page - 1) * HOME_SIZE, HOME_SIZE + 1));
        if (page > 1 && posts.isEmpty()) return notFound(List.of(PurgeTags.HOME));
        boolean hasNext = posts.size() > HOME_SIZE;
        List<Post> shown = hasNext ? posts.subList(0, HOME_SIZE) : posts;
        return page(200, "home.jte", new HomeView(summaries(shown), page, hasNext), CacheHints.tags(PurgeTags.HOME));
    }

    private RenderedPage tagListing(String tag, int page) {
        if (!Tags.isValid(tag)) return notFound(List.of());
        String purgeTag = PurgeTags.tag(tag);
        if (page < 1) return notFound(List.of(purgeTag));
        List<Post> posts = db.read(c -> PostRepository.publishedWithTag(c, tag, (page - 1) * PAGE_SIZE, PAGE_SIZE + 1));
        // an unknown tag is a 404 (stored briefly; publishing a post with the tag purges it)
        if (posts.isEmpty()) return notFound(List.of(purgeTag));
        boolean hasNext = posts.size() > PAGE_SIZE;
        List<Post> shown = hasNext ? posts.subList(0, PAGE_SIZE) : posts;
        return page(200, "tag.jte", new TagView(tag, summaries(shown), page, hasNext), CacheHints.tags(purgeTag));
    }

    private RenderedPage search(String query, int page) {
        if (page < 1) return notFound(List.of(PurgeTags.HOME));
        String q = query.strip();
        if (q.length() > 200) q = q.substring(0, 200);
        List<String> terms = terms(q);
        List<Post> posts =
                db.read(c -> PostRepository.search(c, db.dialect(), terms, (page - 1) * SEARCH_SIZE, SEARCH_SIZE + 1));
        boolean hasNext = posts.size() > SEARCH_SIZE;
        List<Post> shown = hasNext ? posts.subList(0, SEARCH_SIZE) : posts;
        // results change with any public change; "home" is purged by every one of them
        return page(
                200, "search.jte", new SearchView(q, summaries(shown), page, hasNext), CacheHints.tags(PurgeTags.HOME));
    }

    /** The words of a query, lower case, at most {@value #MAX_QUERY_TERMS}: nothing else reaches the database. */
    static List<String> terms(String query) {
        List<String> out = new ArrayList<>();
        Matcher m = WORDS.matcher(query.toLowerCase(Locale.ROOT));
        while (m.find() && out.size() < MAX_QUERY_TERMS) {
            String word = m.group();
            if (!out.contains(word)) out.add(word.length() > 40 ? word.substring(0, 40) : word);
        }
        return out;
    }

    /** Minutes to read {@code markdown} at {@value #WORDS_PER_MINUTE} words a minute, at least 1. */
    static int readingMinutes(String markdown) {
        Matcher m = WORDS.matcher(markdown);
        int words = 0;
        while (m.find()) words++;
        return Math.max(1, Math.round(words / (float) WORDS_PER_MINUTE));
    }

    private RenderedPage robots() {
        return new RenderedPage(
                200, "text/plain; charset=utf-8", robots.getBytes(StandardCharsets.UTF_8), CacheHints.tags("robots"));
    }

    private RenderedPage siteFeed() {
        List<Post> posts = db.read(c -> PostRepository.latestPublished(c, FEED_SIZE));
        return new RenderedPage(
                200,
                "application/atom+xml; charset=utf-8",
                xml.siteFeed(SITE_TITLE, entries(posts)),
                CacheHints.tags(PurgeTags.HOME));
    }

    private List<XmlDocuments.Entry> entries(List<Post> posts) {
        return posts.stream()
                .map(p -> new XmlDocuments.Entry(
                        p.id(),
                        p.username(),
                        p.title(),
                        p.url(),
                        publishedAt(p),
                        p.updatedAt(),
                        markdown.render(p.body()).html()))
                .toList();
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

    private RenderedPage listing(String user, int page) {
        if (page < 1) return notFound(List.of(PurgeTags.user(user)));
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
        List<String> postTags = db.read(c -> Tags.of(c, p.id()));
        PostView view = new PostView(
                user,
                p.title(),
                markdown.render(p.body()),
                Dates.day(publishedAt(p)),
                readingMinutes(p.body()),
                postTags);
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
        List<XmlDocuments.Entry> entries = entries(f.posts());
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
                        Dates.day(publishedAt(p)),
                        readingMinutes(p.body())))
                .toList();
    }

    private static long publishedAt(Post p) {
        return p.publishedAt() == null ? p.updatedAt() : p.publishedAt();
    }
}
