package dev.edgecache.proxy.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class PeerFillTest {
    private static Member member(String id) {
        return new Member(id, "127.0.0.1:1", "initial", "0-0", 0);
    }

    private static byte[] key(int i) {
        return ("/alice/page-" + i).getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void aKeyThisNodeOwnsIsNotAskedForAndOthersAreAskedOfTheirOwner() {
        List<Member> three = List.of(member("edge-a"), member("edge-b"), member("edge-c"));
        List<String> ids = List.of("edge-a", "edge-b", "edge-c");
        int asked = 0;
        for (int i = 0; i < 300; i++) {
            String owner = Rendezvous.owner(ids, key(i)).orElseThrow();
            var found = PeerFill.ownerOf(three, "edge-a", key(i));
            if (owner.equals("edge-a")) {
                assertThat(found).isEmpty();
            } else {
                assertThat(found).map(Member::id).contains(owner);
                asked++;
            }
        }
        assertThat(asked).isBetween(150, 250);
    }

    @Test
    void thisNodeCountsItselfBeforeItsOwnHeartbeatIsSeen() {
        List<Member> others = List.of(member("edge-b"), member("edge-c"));
        List<String> ids = List.of("edge-a", "edge-b", "edge-c");
        for (int i = 0; i < 300; i++) {
            String owner = Rendezvous.owner(ids, key(i)).orElseThrow();
            assertThat(PeerFill.ownerOf(others, "edge-a", key(i)).map(Member::id))
                    .isEqualTo(owner.equals("edge-a") ? java.util.Optional.empty() : java.util.Optional.of(owner));
        }
        assertThat(PeerFill.ownerOf(List.of(), "edge-a", key(1)))
                .as("alone: always itself")
                .isEmpty();
    }
}
