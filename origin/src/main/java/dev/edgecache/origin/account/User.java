package dev.edgecache.origin.account;

/** A stored account. The password hash never leaves this package. */
record User(long id, String username, String passwordHash) {}
