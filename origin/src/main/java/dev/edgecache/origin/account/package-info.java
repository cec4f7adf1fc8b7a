/**
 * Accounts: usernames, password policy and PBKDF2 hashing, server-side sessions (random 256-bit ids stored as
 * digests), and log-in throttling. {@link dev.edgecache.origin.account.AccountService} is the entry point for the
 * web layer; the repositories are package-private.
 */
@NullMarked
package dev.edgecache.origin.account;

import org.jspecify.annotations.NullMarked;
