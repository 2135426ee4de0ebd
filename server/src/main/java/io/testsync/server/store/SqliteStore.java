package io.testsync.server.store;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;

/**
 * The {@code sqlite} backend: a future completes normally only once its change is committed and
 * fsynced, so an acknowledged write survives {@code kill -9} and a restart.
 *
 * <p>Writes go to one writer thread that commits them in groups ({@link SqliteWriter}); reads run
 * on a few reader threads with their own connections ({@link SqliteReaders}). No method blocks its
 * caller. Futures complete on those threads: callers hop back to their own thread (in Vert.x,
 * {@code Future.fromCompletionStage(future, context)}) instead of doing work, let alone blocking,
 * in a dependent stage. The byte array of a write must not be modified until its future completes.
 */
public final class SqliteStore implements DataStore {

    /** Two readers: enough for reads (which are fast) not to queue behind one large blob; more only add connections. */
    private static final int READERS = 2;

    /** How long close() waits for queued work; shutdown as a whole must end within 15 s (SPEC §1). */
    private static final long CLOSE_TIMEOUT_MILLIS = 10_000;

    private static final String SELECT = "SELECT content_type, bytes FROM data WHERE test_id = ?";
    static final String SELECT_IDLE = "SELECT test_id FROM data WHERE updated_at < ?";

    /** Runs deleted per retention transaction: keeps one sweep of many runs from holding the writer long. */
    private static final int DELETE_CHUNK = 500;

    /** Recently written runs, answered without a reader hop: 64 MiB and 100,000 runs at most. */
    private static final long CACHE_BYTES = 64L * 1024 * 1024;
    private static final int CACHE_ENTRIES = 100_000;

    private final SqliteWriter writer;
    private final SqliteReaders readers;
    private final ReadCache cache;

    private SqliteStore(SqliteWriter writer, SqliteReaders readers, ReadCache cache) {
        this.writer = writer;
        this.readers = readers;
        this.cache = cache;
    }

    /**
     * Opens (creating it and its parent directories when missing) the database file.
     *
     * @param file               the database file ({@code storage.sqlite_path})
     * @param moveAsideIfCorrupt rename a file that is corrupt or not SQLite to
     *                           {@code <name>.corrupt-<unix ms>} and start empty, instead of refusing
     * @throws StoreOpenException   the path is unusable or the file is not a sound SQLite database; the
     *                           message is one line naming the file and the fix
     */
    public static SqliteStore open(Path file, boolean moveAsideIfCorrupt) throws StoreOpenException {
        Objects.requireNonNull(file, "file");
        Path path = file.toAbsolutePath().normalize();
        Connection writeConnection = SqliteFile.openVerified(path, moveAsideIfCorrupt);
        SqliteReaders readers;
        try {
            readers = new SqliteReaders(path, READERS);
        } catch (SQLException e) {
            SqliteFile.closeQuietly(writeConnection);
            throw new StoreOpenException("storage.sqlite_path: cannot open " + path + " for reading ("
                    + SqliteFile.reason(e) + "); check its permissions, or choose another path");
        }
        ReadCache cache = new ReadCache(CACHE_BYTES, CACHE_ENTRIES);
        return new SqliteStore(new SqliteWriter(path, writeConnection, cache), readers, cache);
    }

    @Override
    public CompletableFuture<Optional<StoredData>> get(String testId) {
        Objects.requireNonNull(testId, "testId");
        Optional<StoredData> known = cache.get(testId);
        if (known != null && !readers.closed()) return CompletableFuture.completedFuture(known);
        return readers.submit(connection -> {
            try (PreparedStatement select = connection.prepareStatement(SELECT)) {
                select.setString(1, testId);
                try (ResultSet row = select.executeQuery()) {
                    if (!row.next()) return Optional.empty();
                    byte[] bytes = row.getBytes(2);
                    // Defensive: SQLite may hand back a zero-length blob as NULL.
                    return Optional.of(new StoredData(bytes == null ? new byte[0] : bytes, row.getString(1)));
                }
            }
        });
    }

    @Override
    public CompletableFuture<Boolean> create(String testId, StoredData data) {
        return writer.submit(WriteOp.create(Objects.requireNonNull(testId, "testId"), Objects.requireNonNull(data, "data"))).future;
    }

    @Override
    public CompletableFuture<Void> put(String testId, StoredData data) {
        return writer.submit(WriteOp.put(Objects.requireNonNull(testId, "testId"), Objects.requireNonNull(data, "data"))).future;
    }

    @Override
    public CompletableFuture<Boolean> delete(String testId) {
        return writer.submit(WriteOp.delete(Objects.requireNonNull(testId, "testId"))).future;
    }

    /**
     * Reads the table, not just {@code SELECT 1} (the file itself is readable), then commits a
     * one-row write through the writer (the file takes writes: not locked by another process, not
     * read-only, room on disk). The write joins the writer's group commit, so it costs no fsync of
     * its own under load; callers bound how often they probe.
     */
    @Override
    public CompletableFuture<Void> check() {
        return readers.<Void>submit(connection -> {
            try (PreparedStatement probe = connection.prepareStatement("SELECT 1 FROM data LIMIT 1");
                 ResultSet ignored = probe.executeQuery()) {
                return null;
            }
        }).thenCompose(readable -> writer.submit(WriteOp.probe()).future);
    }

    /**
     * Finds candidates on a reader (through the {@code data_idle} index), asks {@code keep}, then
     * deletes them on the writer with the age checked again in the same statement, so a write
     * committed in between wins. Deletes go in chunks, each one transaction among the writer's batches.
     */
    @Override
    public CompletableFuture<List<String>> removeIdle(long cutoffUnixMs, Predicate<String> keep) {
        Objects.requireNonNull(keep, "keep");
        return readers.submit(connection -> {
            List<String> idle = new ArrayList<>();
            try (PreparedStatement select = connection.prepareStatement(SELECT_IDLE)) {
                select.setLong(1, cutoffUnixMs);
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) idle.add(rows.getString(1));
                }
            }
            return idle;
        }).thenCompose(idle -> {
            List<CompletableFuture<List<String>>> deletes = new ArrayList<>();
            List<String> chunk = new ArrayList<>();
            for (String testId : idle) {
                if (keep.test(testId)) continue;
                chunk.add(testId);
                if (chunk.size() == DELETE_CHUNK) {
                    deletes.add(writer.submit(WriteOp.deleteIdle(List.copyOf(chunk), cutoffUnixMs)).future);
                    chunk.clear();
                }
            }
            if (!chunk.isEmpty()) deletes.add(writer.submit(WriteOp.deleteIdle(List.copyOf(chunk), cutoffUnixMs)).future);
            return CompletableFuture.allOf(deletes.toArray(CompletableFuture[]::new)).thenApply(done -> {
                List<String> removed = new ArrayList<>();
                deletes.forEach(d -> removed.addAll(d.join()));
                return removed;
            });
        });
    }

    /** Refuses new operations, finishes every queued write, checkpoints the WAL and closes the file. Idempotent. */
    @Override
    public void close() {
        readers.close(CLOSE_TIMEOUT_MILLIS);
        // The writer closes last: its connection, the last one open, checkpoints and removes the WAL.
        writer.close(CLOSE_TIMEOUT_MILLIS);
    }

    /** Transactions committed so far: with {@link #writes()}, how well group commit groups (a metric, and a test hook). */
    public long commits() {
        return writer.commits();
    }

    /** Changes committed so far (retention's deletes count one per chunk). */
    public long writes() {
        return writer.writes();
    }

    /** Test hook simulating a full disk: caps the database at {@code pages} pages (at least its current size). */
    void maxPageCountForTest(long pages) {
        writer.maxPageCount(pages);
    }
}
