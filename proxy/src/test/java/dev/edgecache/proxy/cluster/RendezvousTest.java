package dev.edgecache.proxy.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RendezvousTest {
    private static final List<String> THREE = List.of("edge-a", "edge-b", "edge-c");
    private static final int KEYS = 3_000;

    private static byte[] key(int i) {
        return ("/alice/page-" + i).getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void theOwnerDependsOnTheMembersNotOnTheirOrder() {
        List<String> reversed = List.of("edge-c", "edge-b", "edge-a");
        for (int i = 0; i < KEYS; i++) {
            assertThat(Rendezvous.owner(THREE, key(i))).isEqualTo(Rendezvous.owner(reversed, key(i)));
        }
    }

    @Test
    void theMemberIdAndTheKeyAreHashedApart() {
        assertThat(Rendezvous.score("a", "bc".getBytes(StandardCharsets.UTF_8)))
                .isNotEqualTo(Rendezvous.score("ab", "c".getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void keysSpreadOverEveryMember() {
        Map<String, Integer> owned = new HashMap<>();
        for (int i = 0; i < KEYS; i++)
            owned.merge(Rendezvous.owner(THREE, key(i)).orElseThrow(), 1, Integer::sum);
        assertThat(owned).containsOnlyKeys(THREE);
        for (int n : owned.values()) assertThat(n).isBetween(KEYS / 3 - 200, KEYS / 3 + 200);
    }

    @Test
    void whenAMemberLeavesOnlyItsKeysMove() {
        List<String> two = List.of("edge-a", "edge-c");
        int moved = 0;
        for (int i = 0; i < KEYS; i++) {
            String before = Rendezvous.owner(THREE, key(i)).orElseThrow();
            String after = Rendezvous.owner(two, key(i)).orElseThrow();
            if (before.equals("edge-b")) {
                moved++;
                assertThat(after).isIn(two);
            } else {
                assertThat(after).as("key %d", i).isEqualTo(before);
            }
        }
        assertThat(moved).isBetween(KEYS / 3 - 200, KEYS / 3 + 200);
    }

    @Test
    void noMembersNoOwner() {
        assertThat(Rendezvous.owner(List.of(), key(1))).isEmpty();
        assertThat(Rendezvous.owner(List.of("solo"), key(1))).contains("solo");
    }
}
