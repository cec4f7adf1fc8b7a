package dev.edgecache.origin.blog;

import org.jspecify.annotations.Nullable;

/**
 * A create or update request. On update a null field is left unchanged (partial update); on create a null title is
 * an error, a null body is empty and a null slug is made from the title. A blank slug means "make it from the title".
 */
public record PostEdit(
        @Nullable String title,
        @Nullable String body,
        @Nullable String slug,
        @Nullable PostStatus status) {}
