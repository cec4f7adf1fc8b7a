package dev.edgecache.origin;

import dev.edgecache.origin.account.AccountService;
import dev.edgecache.origin.account.SessionUser;
import dev.edgecache.origin.blog.PostEdit;
import dev.edgecache.origin.blog.PostService;
import dev.edgecache.origin.blog.PostStatus;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Demo content for a first run ({@code seed-demo: true}): users {@code alice} and {@code bob} with a few published
 * Markdown posts and one draft. Only runs on a database without users. The passwords are public (README).
 */
final class DemoSeeder {
    private static final Logger log = LoggerFactory.getLogger(DemoSeeder.class);

    record DemoUser(String name, String password, List<PostEdit> posts) {}

    static final List<DemoUser> USERS = List.of(
            new DemoUser(
                    "alice",
                    "correct-horse-battery",
                    List.of(
                            published("Hello, edge", """
                            Welcome to my blog. This page was rendered **once** by the origin and is now served by the \
                            edge until I change it.

                            - Posts are *persistent* at the edge.
                            - Listings are refreshed every minute, or at once when I publish.

                            Read [the other demo author](/bob) too."""),
                            published("Caching is hard", """
                            There are only two hard things in computer science:

                            1. cache invalidation,
                            2. naming things,
                            3. off-by-one errors.

                            ```java
                            cache.purge(Tag.of("post:alice/caching-is-hard"));
                            ```"""),
                            published("Why persistent rendering", """
                            Render on the first request, keep the result for the whole deploy, purge by tag when \
                            the content changes. Rollback is a pointer flip."""))),
            new DemoUser(
                    "bob",
                    "purple-monkey-dishwasher",
                    List.of(
                            published("Notes on Markdown", """
                            Markdown is rendered with CommonMark. Raw HTML such as <script>alert(1)</script> is \
                            shown as text, never run.

                            > Quotes work, and so do `inline code` and [links](https://commonmark.org)."""),
                            new PostEdit("Unfinished thoughts", "This draft is not public.", null, PostStatus.DRAFT))));

    private DemoSeeder() {}

    /**
     * Creates the demo content unless the database already has users. Origins sharing one database may start
     * together: the one that creates the first user seeds, the others see a 409 and leave it to that one.
     */
    static boolean seedIfEmpty(AccountService accounts, PostService posts) {
        if (accounts.hasUsers()) return false;
        for (DemoUser u : USERS) {
            long id;
            try {
                id = accounts.createUser(u.name(), u.password());
            } catch (RejectedException e) {
                if (e.status() != 409) throw e;
                log.info("seed.demo skipped: user {} exists (another origin on this database is seeding)", u.name());
                return false;
            }
            SessionUser author = new SessionUser(id, u.name(), "");
            for (PostEdit edit : u.posts()) posts.create(author, edit);
        }
        log.info(
                "seed.demo users={}",
                String.join(",", USERS.stream().map(DemoUser::name).toList()));
        return true;
    }

    private static PostEdit published(String title, String body) {
        return new PostEdit(title, body, null, PostStatus.PUBLISHED);
    }
}
