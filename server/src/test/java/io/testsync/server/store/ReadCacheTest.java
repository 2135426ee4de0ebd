package io.testsync.server.store;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** The SQLite store's read-after-write cache: what it answers, and which entries its bounds evict. */
class ReadCacheTest {

    private static StoredData data(String text) {
        return new StoredData(text.getBytes(StandardCharsets.UTF_8), "application/json");
    }

    private static String text(Optional<StoredData> stored) {
        return new String(stored.orElseThrow().bytes(), StandardCharsets.UTF_8);
    }

    @Test
    void answersTheLastCommittedValueADeletionOrNothing() {
        ReadCache cache = new ReadCache(1_000, 10);
        cache.committed("a", data("1"));
        cache.committed("a", data("2"));
        cache.deleted("b");
        assertThat(text(cache.get("a"))).isEqualTo("2");
        assertThat(cache.get("b")).isEmpty();
        assertThat(cache.get("c")).isNull();
    }

    @Test
    void keepsACopySoTheWritersArrayMayBeReused() {
        ReadCache cache = new ReadCache(1_000, 10);
        byte[] bytes = "abc".getBytes(StandardCharsets.UTF_8);
        cache.committed("a", new StoredData(bytes, "application/json"));
        bytes[0] = 'x';
        assertThat(text(cache.get("a"))).isEqualTo("abc");
    }

    @Test
    void theEntryBoundEvictsTheOldestFirst() {
        ReadCache cache = new ReadCache(1_000, 3);
        for (String id : new String[] {"a", "b", "c", "d", "e"}) cache.committed(id, data(id));
        assertThat(cache.get("a")).isNull();
        assertThat(cache.get("b")).isNull();
        assertThat(text(cache.get("c"))).isEqualTo("c");
        assertThat(text(cache.get("e"))).isEqualTo("e");
    }

    @Test
    void rewritingAnEntryDoesNotMakeItCountTwice() {
        ReadCache cache = new ReadCache(1_000, 3);
        for (int i = 0; i < 100; i++) cache.committed("a", data("v" + i));
        cache.committed("b", data("b"));
        cache.committed("c", data("c"));
        assertThat(text(cache.get("a"))).isEqualTo("v99");
        assertThat(text(cache.get("c"))).isEqualTo("c");
    }

    @Test
    void theByteBoundEvictsOldestUntilTheRestFits() {
        ReadCache cache = new ReadCache(40, 100);
        cache.committed("a", data("0123456789"));
        cache.committed("b", data("0123456789"));
        cache.committed("c", data("0123456789"));
        cache.committed("d", data("0123456789"));
        cache.committed("e", data("0123456789"));
        assertThat(cache.get("a")).isNull();
        assertThat(text(cache.get("b"))).isEqualTo("0123456789");
        assertThat(text(cache.get("e"))).isEqualTo("0123456789");
    }

    @Test
    void aBlobOverAQuarterOfTheBoundIsNotKeptAndForgetsWhatWasKnown() {
        ReadCache cache = new ReadCache(40, 100);
        cache.committed("a", data("small"));
        cache.committed("a", data("01234567890"));
        assertThat(cache.get("a")).isNull();
        cache.committed("a", data("again"));
        assertThat(text(cache.get("a"))).isEqualTo("again");
    }

    @Test
    void staysBoundedWhenEveryWriteIsToAFreshRun() {
        ReadCache cache = new ReadCache(1_000_000, 1_000);
        for (int i = 0; i < 200_000; i++) cache.committed("run-" + i, data("x"));
        assertThat(cache.get("run-198999")).isNull();
        assertThat(cache.get("run-199000")).isNotNull();
        assertThat(cache.get("run-199999")).isNotNull();
    }
}
