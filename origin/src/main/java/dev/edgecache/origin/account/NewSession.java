package dev.edgecache.origin.account;

/**
 * A session just created by sign-up or log-in.
 *
 * @param token the secret session id for the cookie; shown once, stored only as a digest
 */
public record NewSession(String token, SessionUser user) {
    @Override
    public String toString() {
        return "NewSession[user=" + user + "]"; // never print the token
    }
}
