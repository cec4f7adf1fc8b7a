package dev.edgecache.origin.view;

/** An error or notice page (404, 403, 500...). */
public record MessageView(int status, String title, String message) {}
