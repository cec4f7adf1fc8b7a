package dev.edgecache.origin.account;

import dev.edgecache.origin.RejectedException;
import java.util.Locale;
import java.util.Set;

/**
 * What a new password must be (NIST SP 800-63B style): 10 to 200 characters, not a well-known password, not the
 * username, not one repeated character. No composition rules.
 */
public final class PasswordPolicy {
    public static final int MIN_LENGTH = 10;
    public static final int MAX_LENGTH = 200;
    private static final Set<String> COMMON = Set.of(
            "password",
            "password1",
            "password12",
            "password123",
            "passw0rd",
            "1234567890",
            "12345678910",
            "0123456789",
            "qwertyuiop",
            "qwerty1234",
            "iloveyou12",
            "letmein123",
            "welcome123",
            "administrator",
            "abcdefghij",
            "1q2w3e4r5t",
            "qwertyuiop123",
            "correcthorsebatterystaple",
            "trustno1234",
            "football123",
            "baseball123",
            "monkey1234",
            "dragon1234");

    private PasswordPolicy() {}

    /** @throws RejectedException 400 saying what is wrong */
    public static void check(String username, String password) {
        if (password.isEmpty()) throw RejectedException.badRequest("password is required");
        int length = password.codePointCount(0, password.length());
        if (length < MIN_LENGTH) {
            throw RejectedException.badRequest("password must be at least " + MIN_LENGTH + " characters");
        }
        if (length > MAX_LENGTH) {
            throw RejectedException.badRequest("password must be at most " + MAX_LENGTH + " characters");
        }
        String lower = password.toLowerCase(Locale.ROOT);
        if (COMMON.contains(lower)) throw RejectedException.badRequest("password is too common");
        if (!username.isEmpty() && lower.contains(username.toLowerCase(Locale.ROOT))) {
            throw RejectedException.badRequest("password must not contain the username");
        }
        if (password.chars().distinct().count() < 4) {
            throw RejectedException.badRequest("password is too simple");
        }
    }
}
