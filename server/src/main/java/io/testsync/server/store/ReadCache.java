package io.testsync.server.store;

import java.util.Iterator;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the SQLite writer last committed for recently written runs, so that reading a run's data
 * right after writing it (the common pattern: POST, then every agent reads) costs no hop to a
 * reader thread and no query. Only the writer thread changes it, right after each commit and in
 * commit order, so an entry is always the committed value; a run not in it is read from the file.
 * Bounded in bytes and entries: eviction only turns a hit into a read from the file.
 */
final class ReadCache {
    private final ConcurrentHashMap<String, Optional<StoredData>> entries = new ConcurrentHashMap<>();
    private final long maxBytes;
    private final int maxEntries;
    private long bytes; // writer thread only

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
        account(entries.put(testId, Optional.of(new StoredData(data.bytes().clone(), data.contentType()))), size);
        trim();
    }

    /** Writer thread, after the commit: the run has no data. */
    void deleted(String testId) {
        account(entries.put(testId, Optional.empty()), 0);
        trim();
    }

    /** Writer thread: the cache stops answering for the run. */
    void forget(String testId) {
        account(entries.remove(testId), 0);
    }

    private void account(Optional<StoredData> previous, long added) {
        if (previous != null && previous.isPresent()) bytes -= previous.get().bytes().length;
        bytes += added;
    }

    private void trim() {
        Iterator<String> keys = entries.keySet().iterator();
        while ((bytes > maxBytes || entries.size() > maxEntries) && keys.hasNext()) {
            String key = keys.next();
            account(entries.remove(key), 0);
        }
    }
}
