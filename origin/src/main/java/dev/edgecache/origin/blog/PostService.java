package dev.edgecache.origin.blog;

import dev.edgecache.origin.RejectedException;
import dev.edgecache.origin.account.SessionUser;
import dev.edgecache.origin.db.Database;
import dev.edgecache.origin.outbox.Outbox;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writing posts: create, edit, publish, unpublish, delete, with their rules (title, slug, 1 MiB body, ownership).
 * Every change that touches a public page writes its purge to the outbox in the same transaction. Deleting a post,
 * or editing an image out of it, deletes the author's images no post refers to any more, in the same transaction,
 * and purges them ({@link Images#deleteUnreferenced}). Thread-safe.
 */
public final class PostService {
    private static final Logger log = LoggerFactory.getLogger(PostService.class);
    public static final int MAX_BODY_BYTES = 1 << 20;
    public static final int MAX_TITLE_LENGTH = 200;

    /** How long a change waits for the edge to acknowledge its purge before answering the author. */
    static final Duration PURGE_WAIT = Duration.ofSeconds(2);

    private final Database db;
    private final Outbox outbox;
    private final InstantSource clock;
    private final ImageBytes imageBytes;

    /** Image bytes kept in the database. */
    public PostService(Database db, Outbox outbox, InstantSource clock) {
        this(db, outbox, clock, ImageBytes.IN_DATABASE);
    }

    /** @param imageBytes where {@link Images} keeps image bytes, to drop them with the images a change deletes */
    public PostService(Database db, Outbox outbox, InstantSource clock, ImageBytes imageBytes) {
        this.db = db;
        this.outbox = outbox;
        this.clock = clock;
        this.imageBytes = imageBytes;
    }

    public Post create(SessionUser user, PostEdit edit) {
        if (edit.title() == null) throw RejectedException.badRequest("title is required");
        String title = checkTitle(edit.title());
        String body = checkBody(edit.body() == null ? "" : edit.body());
        String wanted = edit.slug() == null ? "" : edit.slug().strip();
        if (!wanted.isEmpty()) Slugs.check(wanted);
        PostStatus status = edit.status() == PostStatus.PUBLISHED ? PostStatus.PUBLISHED : PostStatus.DRAFT;
        List<String> postTags = edit.tags() == null ? List.of() : Tags.check(edit.tags());
        Post created = db.write(c -> {
            String slug = wanted.isEmpty() ? freeSlug(c, user.userId(), Slugs.fromTitle(title), 0) : wanted;
            if (PostRepository.slugTaken(c, user.userId(), slug, 0)) throw slugConflict(slug);
            long now = clock.millis();
            Post draft = new Post(
                    0,
                    user.userId(),
                    user.username(),
                    slug,
                    title,
                    body,
                    status,
                    now,
                    now,
                    status == PostStatus.PUBLISHED ? now : null);
            long id = PostRepository.insert(c, draft);
            Post post = PostRepository.findById(c, id).orElseThrow();
            Tags.set(c, id, postTags);
            List<String> tags = new ArrayList<>(PurgeTags.forChange(null, post));
            if (post.isPublic()) postTags.forEach(t -> tags.add(PurgeTags.tag(t)));
            // the slug may have led to another post before: its stored 301 (or 404) must go
            if (SlugHistory.release(c, user.userId(), slug)) tags.add(PurgeTags.post(user.username(), slug));
            outbox.enqueue(c, tags);
            return post;
        });
        awaitPurge();
        log.info(
                "post.created id={} user={} slug={} status={}",
                created.id(),
                user.username(),
                created.slug(),
                created.status().key());
        return created;
    }

    /** Partial update; 404 for no such post, 403 for another user's post. */
    public Post update(SessionUser user, long id, PostEdit edit) {
        String title = edit.title() == null ? null : checkTitle(edit.title());
        String body = edit.body() == null ? null : checkBody(edit.body());
        String wanted = edit.slug() == null ? null : edit.slug().strip();
        if (wanted != null && !wanted.isEmpty()) Slugs.check(wanted);
        List<String> newTags = edit.tags() == null ? null : Tags.check(edit.tags());
        Post[] before = new Post[1];
        List<String> deletedImages = new ArrayList<>();
        Post updated = db.write(c -> {
            Post old = owned(c, user, id);
            before[0] = old;
            String newTitle = title == null ? old.title() : title;
            String slug = old.slug();
            if (wanted != null) {
                slug = wanted.isEmpty() ? freeSlug(c, user.userId(), Slugs.fromTitle(newTitle), id) : wanted;
                if (PostRepository.slugTaken(c, user.userId(), slug, id)) throw slugConflict(slug);
            }
            PostStatus status = nextStatus(old.status(), edit.status());
            long now = clock.millis();
            Long publishedAt =
                    old.publishedAt() == null && status == PostStatus.PUBLISHED ? Long.valueOf(now) : old.publishedAt();
            Post post = new Post(
                    id,
                    old.userId(),
                    old.username(),
                    slug,
                    newTitle,
                    body == null ? old.body() : body,
                    status,
                    old.createdAt(),
                    now,
                    publishedAt);
            PostRepository.update(c, post);
            List<String> tags = new ArrayList<>(PurgeTags.forChange(old, post));
            if (!slug.equals(old.slug())) tags.addAll(moveSlug(c, old, slug, now));
            List<String> oldTags = Tags.of(c, id);
            if (newTags != null && !newTags.equals(oldTags)) Tags.set(c, id, newTags);
            if (old.isPublic() || post.isPublic()) {
                // listings of tags it had and has: it may have appeared, changed, gone, or moved between tags
                oldTags.forEach(t -> tags.add(PurgeTags.tag(t)));
                if (newTags != null) newTags.forEach(t -> tags.add(PurgeTags.tag(t)));
            }
            if (body != null) {
                // images the edit took out of the post go with it, unless another post still shows them
                Set<String> dropped = new LinkedHashSet<>(Images.referencedIn(old.body()));
                dropped.removeAll(Images.referencedIn(post.body()));
                deletedImages.addAll(Images.deleteUnreferenced(c, old.userId(), dropped));
                deletedImages.forEach(h -> tags.add(PurgeTags.image(h)));
            }
            outbox.enqueue(c, tags);
            return post;
        });
        Images.forget(db, imageBytes, deletedImages);
        awaitPurge();
        log.info(
                "post.updated id={} user={} slug={} status={} was-slug={} was-status={}",
                id,
                user.username(),
                updated.slug(),
                updated.status().key(),
                before[0].slug(),
                before[0].status().key());
        return updated;
    }

    @SuppressWarnings("NullAway") // SqlWork<Void> lambdas return null; NullAway does not track the type argument
    public void delete(SessionUser user, long id) {
        List<String> deletedImages = new ArrayList<>();
        db.write(c -> {
            Post old = owned(c, user, id);
            List<String> tags = new ArrayList<>(PurgeTags.forChange(old, null));
            if (old.isPublic()) Tags.of(c, id).forEach(t -> tags.add(PurgeTags.tag(t)));
            PostRepository.delete(c, id);
            // its images go with it, unless another post still shows them
            deletedImages.addAll(Images.deleteUnreferenced(c, old.userId(), Images.referencedIn(old.body())));
            deletedImages.forEach(h -> tags.add(PurgeTags.image(h)));
            outbox.enqueue(c, tags);
            return null;
        });
        Images.forget(db, imageBytes, deletedImages);
        awaitPurge();
        log.info("post.deleted id={} user={}", id, user.username());
    }

    /**
     * Keeps the old slug of a post that was ever published as a permanent redirect, and takes the new slug out of
     * the history (it may have been this or another post's old slug). Returns the extra tags to purge: both URLs,
     * whatever the post's state, because the edge may hold a 301 or a 404 for either, tagged with the post's
     * current slug (see {@link BlogRenderer}).
     */
    private static List<String> moveSlug(Connection c, Post old, String newSlug, long now) throws SQLException {
        List<String> tags = new ArrayList<>();
        if (old.publishedAt() != null) {
            SlugHistory.remember(c, old.userId(), old.slug(), old.id(), now);
            tags.add(PurgeTags.post(old.username(), old.slug()));
            tags.add(PurgeTags.post(old.username(), newSlug));
        }
        if (SlugHistory.release(c, old.userId(), newSlug)) tags.add(PurgeTags.post(old.username(), newSlug));
        return tags;
    }

    /** Waits (bounded) for this change's purge to reach the edge, so the next request there sees the change. */
    private void awaitPurge() {
        long upTo = db.read(Outbox::lastId);
        if (!outbox.wakeAndAwait(upTo, PURGE_WAIT)) {
            log.warn(
                    "outbox.purge.pending up-to={} waited={}ms (the edge will get it when it is back)",
                    upTo,
                    PURGE_WAIT.toMillis());
        }
    }

    /** The user's own post in any state; 404 for no such post, 403 for another user's. */
    public Post get(SessionUser user, long id) {
        return db.read(c -> owned(c, user, id));
    }

    /** The tags of the user's own post, alphabetical; 404 / 403 as {@link #get}. */
    public List<String> tagsOf(SessionUser user, long id) {
        return db.read(c -> {
            owned(c, user, id);
            return Tags.of(c, id);
        });
    }

    /** Any post in any state, by id (for signed preview links, which are checked by the caller). */
    public Optional<Post> find(long id) {
        return db.read(c -> PostRepository.findById(c, id));
    }

    /** Every post of the user, most recently changed first. */
    public List<Post> mine(SessionUser user) {
        return db.read(c -> PostRepository.byUser(c, user.userId()));
    }

    private static Post owned(Connection c, SessionUser user, long id) throws SQLException {
        Post post = PostRepository.findById(c, id).orElseThrow(() -> RejectedException.notFound("no such post"));
        if (post.userId() != user.userId()) throw new RejectedException(403, "this post belongs to another user");
        return post;
    }

    /** {@code requested} applied to {@code current}: a published post asked to be a draft becomes unpublished. */
    static PostStatus nextStatus(PostStatus current, @Nullable PostStatus requested) {
        if (requested == null || requested == current) return current;
        if (requested == PostStatus.PUBLISHED) return PostStatus.PUBLISHED;
        return current == PostStatus.PUBLISHED ? PostStatus.UNPUBLISHED : current;
    }

    private static String freeSlug(Connection c, long userId, String base, long exceptId) throws SQLException {
        String slug = base;
        // a slug made from the title never takes another post's old link; an explicit one may (the author asked)
        for (int n = 2;
                PostRepository.slugTaken(c, userId, slug, exceptId)
                        || SlugHistory.ledElsewhere(c, userId, slug, exceptId);
                n++) {
            slug = Slugs.numbered(base, n);
        }
        return slug;
    }

    private static String checkTitle(String title) {
        String t = title.strip();
        if (t.isEmpty()) throw RejectedException.badRequest("title is required");
        if (t.length() > MAX_TITLE_LENGTH) {
            throw RejectedException.badRequest("title must be at most " + MAX_TITLE_LENGTH + " characters");
        }
        if (t.chars().anyMatch(ch -> ch < 0x20)) throw RejectedException.badRequest("title must be one line");
        return t;
    }

    private static String checkBody(String body) {
        if (body.length() > MAX_BODY_BYTES / 4 && body.getBytes(StandardCharsets.UTF_8).length > MAX_BODY_BYTES) {
            throw new RejectedException(413, "post body is larger than 1 MiB");
        }
        return body;
    }

    private static RejectedException slugConflict(String slug) {
        return new RejectedException(409, "you already have a post with the slug '" + slug + "'");
    }
}
