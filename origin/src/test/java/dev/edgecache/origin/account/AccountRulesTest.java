package dev.edgecache.origin.account;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.edgecache.origin.RejectedException;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class AccountRulesTest {
    private final Usernames usernames = new Usernames(Set.of("docs"));

    @ParameterizedTest
    @ValueSource(strings = {"abc", "alice", "bob-2", "a-very-long-name-of-30-chars-x"})
    void validUsernamesAreAccepted(String name) {
        assertThatCode(() -> usernames.checkNew(name)).doesNotThrowAnyException();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "",
                "ab",
                "Alice",
                "al ice",
                "al_ice",
                "alice.",
                "ünï",
                "a-very-long-name-of-31-chars-xy",
                "admin",
                "login",
                "logout",
                "signup",
                "api",
                "assets",
                "dashboard",
                "editor",
                "docs"
            })
    void malformedAndReservedUsernamesAreRefusedWith400(String name) {
        assertThatThrownBy(() -> usernames.checkNew(name))
                .isInstanceOfSatisfying(
                        RejectedException.class,
                        e -> org.assertj.core.api.Assertions.assertThat(e.status())
                                .isEqualTo(400));
    }

    @ParameterizedTest
    @CsvSource(
            value = {
                "alice,'',password is required",
                "alice,short,at least 10",
                "alice,password123,too common",
                "alice,my-alice-password,must not contain the username",
                "alice,aaaaaaaaaaaa,too simple"
            })
    void weakPasswordsAreRefusedWith400(String user, String password, String why) {
        assertThatThrownBy(() -> PasswordPolicy.check(user, password))
                .isInstanceOf(RejectedException.class)
                .hasMessageContaining(why);
    }

    @ParameterizedTest
    @ValueSource(strings = {"correct-horse-battery", "ten chars!", "Ünïcode passphrase"})
    void reasonablePasswordsAreAccepted(String password) {
        assertThatCode(() -> PasswordPolicy.check("alice", password)).doesNotThrowAnyException();
    }
}
