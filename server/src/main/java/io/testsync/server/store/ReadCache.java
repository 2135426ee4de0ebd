package io.testsync.server.store;

import java.util.ArrayDeque;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the SQLite writer last committed for recently written runs, so that reading a run's data
 * right after writing it (the common pattern: POST, then every agent reads) costs no hop to a
 * reader thread and no query. Only the writer thread changes it, right after each commit and in
 * commit order, so an entry is always the committed value; a run not in it is read from the file.
 * Bounded in bytes and entries: eviction only turns a hit into a read from the file. The oldest
 * entries go first, found through a queue of keys in insertion order, so a commit costs the same
 * when the cache is full (walking the map for victims cost a pass over its table on every commit).
 */
final class ReadCache {
    private final ConcurrentHashMap<String, Optional<StoredData>> entries = new ConcurrentHashMap<>();
    private final long maxBytes;
    private final int maxEntries;
    private long bytes; // writer thread only
    /** Keys in the order they entered; a key forgotten and added again may be in it twice (writer thread only). */
    private final ArrayDeque<String> order = new ArrayDeque<>();

    ReadCache(long maxBytes, int maxEntries) {
        this.maxBytes = maxBytes;
        this.maxEntries = maxEntries;
    }

    /** The committed data of the run (empty when it was deleted), or null when the cache does not know. */
    Optional<StoredData> get(String testId) {
        return entries.get(testId);
    }

    /** Writer thread, after the commit: the run now holds {@code data}. */
    void committed(String testId, StoredData data) {
        long size = data.bytes().length;
        if (size > maxBytes / 4) {
            // a blob this large would evict most others: read it from the file instead
            forget(testId);
            return;
        }
        // a copy: once the write is acknowledged the caller may reuse its array (the store's contract)
        put(testId, Optional.of(new StoredData(data.bytes().clone(), data.contentType())), size);
    }

    /** Writer thread, after the commit: the run has no data. */
    void deleted(String testId) {
        put(testId, Optional.empty(), 0);
    }

    /** Writer thread: the cache stops answering for the run. */
    void forget(String testId) {
        account(entries.remove(testId), 0);
    }

    private void put(String testId, Optional<StoredData> value, long size) {
        Optional<StoredData> previous = entries.put(testId, value);
        if (previous == null) order.add(testId);
        account(previous, size);
        trim();
    }

    private void account(Optional<StoredData> previous, long added) {
        if (previous != null && previous.isPresent()) bytes -= previous.get().bytes().length;
        bytes += added;
    }

    private void trim() {
        // a queue longer than twice the bound holds keys forgotten meanwhile: dropping its head then is harmless
        while (!order.isEmpty() && (bytes > maxBytes || entries.size() > maxEntries || order.size() > 2 * maxEntries)) {
            account(entries.remove(order.poll()), 0);
        }
    }
}
