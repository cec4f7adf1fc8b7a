package dev.edgecache.ctl;

/** "1 key", "2 keys": output reads as sentences. */
final class Plural {
    private Plural() {}

    static String of(long count, String noun) {
        return count + " " + (count == 1 ? noun : noun + "s");
    }
}
