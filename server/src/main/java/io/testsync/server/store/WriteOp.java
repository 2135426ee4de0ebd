package io.testsync.server.store;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * One queued change for {@link SqliteWriter}. Its result is kept until the batch it belongs to is
 * committed; only then is its future completed, so an acknowledged write is on disk.
 */
abstract class WriteOp<T> {

    /**
     * The prepared statements of the writer connection: the batch's transaction brackets (prepared
     * once, not parsed per commit) and what ops run against.
     */
    record Statements(PreparedStatement begin, PreparedStatement commit, PreparedStatement insertIfAbsent, PreparedStatement upsert, PreparedStatement delete,
                      PreparedStatement deleteIdle, PreparedStatement probe) {
        static final String BEGIN = "BEGIN IMMEDIATE";
        static final String COMMIT = "COMMIT";
        static final String INSERT_IF_ABSENT = "INSERT INTO data (test_id, content_type, bytes, updated_at) "
                + "VALUES (?, ?, ?, ?) ON CONFLICT (test_id) DO NOTHING";
        static final String UPSERT = "INSERT INTO data (test_id, content_type, bytes, updated_at) "
                + "VALUES (?, ?, ?, ?) ON CONFLICT (test_id) DO UPDATE SET content_type = excluded.content_type, "
                + "bytes = excluded.bytes, updated_at = excluded.updated_at";
        static final String DELETE = "DELETE FROM data WHERE test_id = ?";
        /** Re-checks the age: a write committed since the sweep looked keeps the run. */
        static final String DELETE_IDLE = "DELETE FROM data WHERE test_id = ? AND updated_at < ?";
        static final String PROBE = "INSERT INTO readiness (id, checked_at) VALUES (1, ?) "
                + "ON CONFLICT (id) DO UPDATE SET checked_at = excluded.checked_at";
    }

    final CompletableFuture<T> future = new CompletableFuture<>();
    private T result;

    /** Payload size, so one batch does not hold an unbounded amount of data in one transaction. */
    abstract long payloadBytes();

    abstract T execute(Statements statements, long nowMillis) throws SQLException;

    final void run(Statements statements, long nowMillis) throws SQLException {
        result = execute(statements, nowMillis);
    }

    /** Called on the writer thread after the commit returned: what the committed change means for reads. */
    void committed(ReadCache cache) {
    }

    /** Called only after the commit returned. */
    final void succeed() {
        future.complete(result);
    }

    /** The result of {@link #execute}, once it ran. */
    final T result() {
        return result;
    }

    final void fail(Throwable cause) {
        future.completeExceptionally(cause);
    }

    static WriteOp<Boolean> create(String testId, StoredData data) {
        return new WriteOp<>() {
            @Override
            long payloadBytes() {
                return data.bytes().length;
            }

            @Override
            Boolean execute(Statements statements, long nowMillis) throws SQLException {
                return bindRow(statements.insertIfAbsent(), testId, data, nowMillis).executeUpdate() == 1;
            }

            @Override
            void committed(ReadCache cache) {
                if (result()) cache.committed(testId, data);
            }
        };
    }

    static WriteOp<Void> put(String testId, StoredData data) {
        return new WriteOp<>() {
            @Override
            long payloadBytes() {
                return data.bytes().length;
            }

            @Override
            Void execute(Statements statements, long nowMillis) throws SQLException {
                bindRow(statements.upsert(), testId, data, nowMillis).executeUpdate();
                return null;
            }

            @Override
            void committed(ReadCache cache) {
                cache.committed(testId, data);
            }
        };
    }

    static WriteOp<Boolean> delete(String testId) {
        return new WriteOp<>() {
            @Override
            long payloadBytes() {
                return 0;
            }

            @Override
            Boolean execute(Statements statements, long nowMillis) throws SQLException {
                PreparedStatement delete = statements.delete();
                delete.setString(1, testId);
                return delete.executeUpdate() > 0;
            }

            @Override
            void committed(ReadCache cache) {
                cache.deleted(testId);
            }
        };
    }

    /** Retention: deletes those of the runs still last written before the cutoff; its result is the IDs deleted. */
    static WriteOp<List<String>> deleteIdle(List<String> testIds, long cutoffUnixMs) {
        return new WriteOp<>() {
            @Override
            long payloadBytes() {
                return 0;
            }

            @Override
            List<String> execute(Statements statements, long nowMillis) throws SQLException {
                PreparedStatement delete = statements.deleteIdle();
                List<String> deleted = new ArrayList<>();
                for (String testId : testIds) {
                    delete.setString(1, testId);
                    delete.setLong(2, cutoffUnixMs);
                    if (delete.executeUpdate() > 0) deleted.add(testId);
                }
                return deleted;
            }

            @Override
            void committed(ReadCache cache) {
                result().forEach(cache::deleted);
            }
        };
    }

    /** Readiness: rewrites one row outside the runs' data, so the commit proves the file takes writes. */
    static WriteOp<Void> probe() {
        return new WriteOp<>() {
            @Override
            long payloadBytes() {
                return 0;
            }

            @Override
            Void execute(Statements statements, long nowMillis) throws SQLException {
                PreparedStatement probe = statements.probe();
                probe.setLong(1, nowMillis);
                probe.executeUpdate();
                return null;
            }
        };
    }

    private static PreparedStatement bindRow(PreparedStatement statement, String testId, StoredData data,
                                             long nowMillis) throws SQLException {
        statement.setString(1, testId);
        statement.setString(2, data.contentType());
        statement.setBytes(3, data.bytes());
        statement.setLong(4, nowMillis);
        return statement;
    }
}
