package dev.edgecache.ctl;

/** A critical page a deploy could not render, and why. */
record FailedPage(String url, String reason) {}
