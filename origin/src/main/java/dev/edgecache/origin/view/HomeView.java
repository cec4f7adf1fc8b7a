package dev.edgecache.origin.view;

import java.util.List;

/** The home page: latest posts across users. */
public record HomeView(List<PostSummary> posts) {}
