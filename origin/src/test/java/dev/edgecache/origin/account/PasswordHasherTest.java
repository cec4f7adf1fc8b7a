package dev.edgecache.origin.account;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PasswordHasherTest {
    private final PasswordHasher hasher = new PasswordHasher(1_000);

    @Test
    void verifiesTheRightPasswordOnly() {
        String stored = hasher.hash("correct horse");
        assertThat(stored).startsWith("pbkdf2-sha256$1000$");
        assertThat(hasher.verify("correct horse", stored)).isTrue();
        assertThat(hasher.verify("correct horsf", stored)).isFalse();
        assertThat(hasher.verify("", stored)).isFalse();
    }

    @Test
    void everyHashHasItsOwnSalt() {
        assertThat(hasher.hash("same password")).isNotEqualTo(hasher.hash("same password"));
    }

    @Test
    void malformedStoredValuesNeverVerify() {
        assertThat(hasher.verify("x", "")).isFalse();
        assertThat(hasher.verify("x", "md5$abc")).isFalse();
        assertThat(hasher.verify("x", "pbkdf2-sha256$notanumber$AA$AA")).isFalse();
        assertThat(hasher.verify("x", "pbkdf2-sha256$1000$%%%$AA")).isFalse();
    }

    @Test
    void hashesMadeWithAnotherCostAreVerifiedAndFlaggedForRehash() {
        String old = new PasswordHasher(2_000).hash("upgrade me");
        assertThat(hasher.verify("upgrade me", old)).isTrue();
        assertThat(hasher.needsRehash(old)).isTrue();
        assertThat(hasher.needsRehash(hasher.hash("upgrade me"))).isFalse();
    }
}
