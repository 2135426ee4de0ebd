package io.testsync.server.store;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one thread that writes to the database, with group commit: it takes a queued change, drains
 * whatever else is waiting, runs them all in one transaction and commits once (one fsync). Writes
 * to different runs therefore share an fsync instead of queueing behind each other's.
 */
final class SqliteWriter {

    private static final Logger log = LoggerFactory.getLogger(SqliteWriter.class);

    /** Bounds of one batch: enough to amortize an fsync, small enough to keep one transaction short. */
    static final int MAX_BATCH_OPS = 256;
    static final long MAX_BATCH_BYTES = 16L * 1024 * 1024;

    /** Marks the end of the queue; nothing is queued after it (see {@link #submit}). */
    private static final WriteOp<?> STOP = WriteOp.delete("");

    private final Path file;
    private final BlockingQueue<WriteOp<?>> queue = new LinkedBlockingQueue<>();
    private final Thread thread;
    private final Object submitLock = new Object();
    private boolean closed; // guarded by submitLock

    // Owned by the writer thread.
    private Connection connection;
    private WriteOp.Statements statements;
    private long appliedMaxPageCount;
    private boolean failing;

    // Written only by the writer thread; volatile so tests read them from elsewhere.
    private volatile long commits;
    private volatile long writes;
    private volatile long requestedMaxPageCount;

    private final ReadCache cache;

    SqliteWriter(Path file, Connection connection, ReadCache cache) {
        this.file = file;
        this.connection = connection;
        this.cache = cache;
        this.thread = new Thread(this::loop, "testsync-sqlite-writer");
        thread.setDaemon(true);
        thread.start();
    }

    /** Queues the change; its future fails with "store is closed" once {@link #close} has begun. */
    <T> WriteOp<T> submit(WriteOp<T> op) {
        synchronized (submitLock) {
            // Checked and queued under one lock so that nothing can land behind STOP and never run.
            if (closed) {
                op.fail(new StoreException("store is closed"));
            } else {
                queue.add(op);
            }
        }
        return op;
    }

    /** Refuses new writes, lets the thread finish every queued one and checkpoint, waits for it. */
    void close(long timeoutMillis) {
        synchronized (submitLock) {
            if (!closed) {
                closed = true;
                queue.add(STOP);
            }
        }
        try {
            thread.join(timeoutMillis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive()) {
            log.warn("sqlite writer for {} did not finish its queued writes within {} ms", file, timeoutMillis);
        }
    }

    long commits() {
        return commits;
    }

    long writes() {
        return writes;
    }

    /** Test hook: caps the database size like a full disk would ({@code PRAGMA max_page_count}); applied before the next batch. */
    void maxPageCount(long pages) {
        requestedMaxPageCount = pages;
    }

    private void loop() {
        List<WriteOp<?>> batch = new ArrayList<>();
        while (true) {
            WriteOp<?> first;
            try {
                first = queue.take();
            } catch (InterruptedException e) {
                continue; // nobody but close() may stop this thread: a lost write would be silent
            }
            if (first == STOP) break;
            batch.add(first);
            long bytes = first.payloadBytes();
            WriteOp<?> next;
            // Single consumer: what peek() saw is what poll() removes.
            while (batch.size() < MAX_BATCH_OPS && (next = queue.peek()) != null && next != STOP
                    && bytes + next.payloadBytes() <= MAX_BATCH_BYTES) {
                batch.add(queue.poll());
                bytes += next.payloadBytes();
            }
            commit(batch);
            batch.clear();
        }
        shutDown();
    }

    private void commit(List<WriteOp<?>> batch) {
        try {
            WriteOp.Statements prepared = statements();
            long now = System.currentTimeMillis();
            prepared.begin().execute();
            for (WriteOp<?> op : batch) {
                op.run(prepared, now);
            }
            prepared.commit().execute();
        } catch (SQLException | RuntimeException | Error e) {
            // Any failure, even an Error, must fail the batch's futures: a writer that died would leave every later write hanging.
            rollBack();
            failed(batch, e);
            return;
        }
        commits++;
        writes += batch.size();
        if (failing) {
            failing = false;
            log.info("writes to {} succeed again", file);
        }
        for (WriteOp<?> op : batch) {
            op.committed(cache); // before the acknowledgement: a read after an acknowledged write sees it
            op.succeed();
        }
    }

    private void failed(List<WriteOp<?>> batch, Throwable cause) {
        String what = "writing " + batch.size() + " change(s) to " + file + " failed: " + cause.getMessage();
        if (!failing) {
            // Logged once per outage, not per request: a full disk under load would otherwise flood the log.
            failing = true;
            log.error("{}; writes fail until the cause is fixed", what, cause);
        }
        for (WriteOp<?> op : batch) {
            op.fail(new StoreException(what, cause));
        }
    }

    /** The connection and its statements, reopened when a failure discarded them. */
    private WriteOp.Statements statements() throws SQLException {
        if (connection == null) {
            connection = SqliteFile.connect(file);
            appliedMaxPageCount = 0;
        }
        long requested = requestedMaxPageCount;
        if (requested != appliedMaxPageCount) {
            try (Statement pragma = connection.createStatement()) {
                pragma.execute("PRAGMA max_page_count = " + requested);
            }
            appliedMaxPageCount = requested;
        }
        if (statements == null) {
            statements = new WriteOp.Statements(
                    connection.prepareStatement(WriteOp.Statements.BEGIN),
                    connection.prepareStatement(WriteOp.Statements.COMMIT),
                    connection.prepareStatement(WriteOp.Statements.INSERT_IF_ABSENT),
                    connection.prepareStatement(WriteOp.Statements.UPSERT),
                    connection.prepareStatement(WriteOp.Statements.DELETE),
                    connection.prepareStatement(WriteOp.Statements.DELETE_IDLE),
                    connection.prepareStatement(WriteOp.Statements.PROBE));
        }
        return statements;
    }

    /**
     * After a failure SQLite may already have rolled back by itself (SQLITE_FULL does) and the
     * driver's statements may be unusable, so the connection is discarded rather than diagnosed; the
     * next batch opens a fresh one, which is what lets writes resume once the disk recovers.
     */
    private void rollBack() {
        if (connection != null) {
            try (Statement control = connection.createStatement()) {
                control.execute("ROLLBACK");
            } catch (SQLException | RuntimeException ignored) {
                // Expected when SQLite rolled back already; the connection is discarded below anyway.
            }
        }
        discardConnection();
    }

    private void discardConnection() {
        if (statements != null) {
            SqliteFile.closeQuietly(statements.begin());
            SqliteFile.closeQuietly(statements.commit());
            SqliteFile.closeQuietly(statements.insertIfAbsent());
            SqliteFile.closeQuietly(statements.upsert());
            SqliteFile.closeQuietly(statements.delete());
            SqliteFile.closeQuietly(statements.deleteIdle());
            SqliteFile.closeQuietly(statements.probe());
            statements = null;
        }
        SqliteFile.closeQuietly(connection);
        connection = null;
    }

    private void shutDown() {
        if (connection != null) {
            // Folds the WAL into the database so the file alone is the whole database after a clean stop.
            try (Statement checkpoint = connection.createStatement()) {
                checkpoint.execute("PRAGMA wal_checkpoint(TRUNCATE)");
            } catch (SQLException e) {
                log.warn("checkpoint of {} at close failed: {}", file, e.getMessage());
            }
        }
        discardConnection();
    }
}
