package dev.edgecache.origin.view;

import org.jspecify.annotations.Nullable;

/** The log-in and sign-up forms, with the form token, a prefilled username and an error if any. */
public record AccountFormView(
        String csrf, String username, @Nullable String error) {}
