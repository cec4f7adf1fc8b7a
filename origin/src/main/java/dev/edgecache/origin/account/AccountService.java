package dev.edgecache.origin.account;

import dev.edgecache.origin.RejectedException;
import dev.edgecache.origin.db.Database;
import dev.edgecache.origin.outbox.Outbox;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sign-up, log-in, log-out and session lookup. Passwords are hashed outside the write lock; the uniqueness check
 * and insert run in one serialised transaction. Wrong user and wrong password get the same 401 message, and an
 * unknown user costs the same hashing time as a known one. Thread-safe.
 */
public final class AccountService {
    private static final Logger log = LoggerFactory.getLogger(AccountService.class);
    static final String WRONG_CREDENTIALS = "wrong username or password";

    private final Database db;
    private final PasswordHasher hasher;
    private final Usernames usernames;
    private final LoginThrottle throttle;
    private final Outbox outbox;
    private final Duration sessionTtl;
    private final InstantSource clock;

    public AccountService(
            Database db,
            PasswordHasher hasher,
            Usernames usernames,
            LoginThrottle throttle,
            Outbox outbox,
            Duration sessionTtl,
            InstantSource clock) {
        this.db = db;
        this.hasher = hasher;
        this.usernames = usernames;
        this.throttle = throttle;
        this.outbox = outbox;
        this.sessionTtl = sessionTtl;
        this.clock = clock;
    }

    /** Creates the account and a session. 400 for a bad name or weak password, 409 for a taken name. */
    public NewSession signUp(String username, String password) {
        long userId = createUser(username, password);
        log.info("account.created user={}", username);
        return openSession(userId, username);
    }

    /** Creates an account without a session (demo seeding). */
    public long createUser(String username, String password) {
        usernames.checkNew(username);
        PasswordPolicy.check(username, password);
        String hash = hasher.hash(password);
        long userId = db.write(c -> {
            if (UserRepository.findByName(c, username).isPresent()) {
                throw new RejectedException(409, "username '" + username + "' is taken");
            }
            long id = UserRepository.insert(c, username, hash, clock.millis());
            outbox.enqueue(c, List.of("user:" + username));
            return id;
        });
        outbox.wake();
        return userId;
    }

    /** 429 while throttled; 401 with one generic message for a wrong user or password. */
    public NewSession logIn(String username, String password, String clientAddress) {
        if (!throttle.allows(username, clientAddress)) {
            log.warn("login.throttled user={} address={}", username, clientAddress);
            throw new RejectedException(429, "too many failed log-ins; try again later");
        }
        Optional<User> user = Usernames.looksValid(username)
                ? db.read(c -> UserRepository.findByName(c, username))
                : Optional.empty();
        boolean ok;
        if (user.isPresent()) {
            ok = hasher.verify(password, user.get().passwordHash());
        } else {
            hasher.verifyNothing(password);
            ok = false;
        }
        if (!ok) {
            throttle.recordFailure(username, clientAddress);
            throw new RejectedException(401, WRONG_CREDENTIALS);
        }
        throttle.recordSuccess(username);
        User u = user.get();
        if (hasher.needsRehash(u.passwordHash())) {
            saveHash(u.id(), hasher.hash(password));
        }
        return openSession(u.id(), u.username());
    }

    /** Ends the session: its row is deleted, so the cookie is worthless even if kept. */
    public void logOut(String token) {
        if (!Tokens.wellFormed(token)) return;
        db.write(c -> SessionRepository.delete(c, token));
    }

    /** The user of a valid, unexpired session. */
    public Optional<SessionUser> session(String token) {
        if (!Tokens.wellFormed(token)) return Optional.empty();
        long now = clock.millis();
        return db.read(c -> SessionRepository.findValid(c, token, now));
    }

    public boolean hasUsers() {
        return db.read(UserRepository::count) > 0;
    }

    public Duration sessionTtl() {
        return sessionTtl;
    }

    @SuppressWarnings("NullAway") // SqlWork<Void> lambdas return null; NullAway does not track the type argument
    private void saveHash(long userId, String hash) {
        db.write(c -> {
            UserRepository.updateHash(c, userId, hash);
            return null;
        });
    }

    @SuppressWarnings("NullAway") // SqlWork<Void> lambdas return null; NullAway does not track the type argument
    private NewSession openSession(long userId, String username) {
        String token = Tokens.random();
        String csrf = Tokens.random();
        long now = clock.millis();
        db.write(c -> {
            SessionRepository.deleteExpired(c, now);
            SessionRepository.insert(c, token, userId, csrf, now, now + sessionTtl.toMillis());
            return null;
        });
        return new NewSession(token, new SessionUser(userId, username, csrf));
    }
}
