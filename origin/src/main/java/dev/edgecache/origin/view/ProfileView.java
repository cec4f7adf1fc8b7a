package dev.edgecache.origin.view;

import java.util.List;

/** {@code /{user}}: the user's latest posts and how many they published. */
public record ProfileView(String username, List<PostSummary> latest, long published) {}
