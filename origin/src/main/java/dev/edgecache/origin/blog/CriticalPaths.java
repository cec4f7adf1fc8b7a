package dev.edgecache.origin.blog;

import dev.edgecache.origin.db.Database;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The public paths worth rendering before a deploy is activated, most important first: the home page, then each
 * active author's profile and listing (most recently published first), then the newest posts. Thread-safe.
 */
public final class CriticalPaths {
    private final Database db;

    public CriticalPaths(Database db) {
        this.db = db;
    }

    public List<String> top(int limit) {
        Set<String> paths = new LinkedHashSet<>();
        paths.add("/");
        List<String> authors = db.read(c -> PostRepository.activeAuthors(c, limit));
        for (String a : authors) {
            paths.add("/" + a);
            paths.add("/" + a + "/posts");
        }
        List<Post> newest = db.read(c -> PostRepository.latestPublished(c, limit));
        for (Post p : newest) paths.add(p.url());
        return paths.stream().limit(limit).toList();
    }
}
