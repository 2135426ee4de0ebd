package io.testsync.server.store;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A small fixed pool of reader threads, each owning its own connection. In WAL mode readers never
 * wait for the writer, and each query sees every transaction committed before it started: a read
 * issued after a write's future completed sees that write.
 */
final class SqliteReaders {

    private static final Logger log = LoggerFactory.getLogger(SqliteReaders.class);

    /** A query run on a reader's connection. */
    @FunctionalInterface
    interface Query<T> {
        T run(Connection connection) throws SQLException;
    }

    private record Task<T>(Query<T> query, CompletableFuture<T> future) {
    }

    /** One per thread, queued by close() after everything else. */
    private static final Task<Void> STOP = new Task<>(connection -> null, new CompletableFuture<>());

    private final Path file;
    private final BlockingQueue<Task<?>> queue = new LinkedBlockingQueue<>();
    private final List<Thread> threads = new ArrayList<>();
    private final Object submitLock = new Object();
    private volatile boolean closed; // written under submitLock; read without it by closed()

    /** Opens every connection up front so that a file that cannot be read fails startup, not the first request. */
    SqliteReaders(Path file, int count) throws SQLException {
        this.file = file;
        List<Connection> connections = new ArrayList<>();
        try {
            for (int i = 0; i < count; i++) {
                connections.add(SqliteFile.connect(file));
            }
        } catch (SQLException e) {
            connections.forEach(SqliteFile::closeQuietly);
            throw e;
        }
        for (int i = 0; i < count; i++) {
            Connection connection = connections.get(i);
            Thread thread = new Thread(() -> loop(connection), "testsync-sqlite-reader-" + (i + 1));
            thread.setDaemon(true);
            threads.add(thread);
        }
        threads.forEach(Thread::start);
    }

    /** Runs the query on a reader thread; fails with {@link StoreException} on an SQL error or once closed. */
    <T> CompletableFuture<T> submit(Query<T> query) {
        Task<T> task = new Task<>(query, new CompletableFuture<>());
        synchronized (submitLock) {
            // Checked and queued under one lock so that nothing lands behind the STOPs and never runs.
            if (closed) {
                task.future().completeExceptionally(new StoreException("store is closed"));
            } else {
                queue.add(task);
            }
        }
        return task.future();
    }

    /** True once {@link #close} has begun: no read is answered any more. */
    boolean closed() {
        return closed;
    }

    /** Lets the threads answer every queued read, then closes their connections. */
    void close(long timeoutMillis) {
        synchronized (submitLock) {
            if (!closed) {
                closed = true;
                threads.forEach(thread -> queue.add(STOP));
            }
        }
        long deadline = System.currentTimeMillis() + timeoutMillis;
        for (Thread thread : threads) {
            try {
                thread.join(Math.max(1, deadline - System.currentTimeMillis()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            if (thread.isAlive()) log.warn("{} for {} did not stop within {} ms", thread.getName(), file, timeoutMillis);
        }
    }

    private void loop(Connection initial) {
        Connection connection = initial;
        while (true) {
            Task<?> task;
            try {
                task = queue.take();
            } catch (InterruptedException e) {
                continue; // only close() stops a reader: a queued read must not be left unanswered
            }
            if (task == STOP) break;
            connection = run(task, connection);
        }
        SqliteFile.closeQuietly(connection);
    }

    /** Returns the connection to use next: a failed one is dropped and reopened by the next read. */
    private <T> Connection run(Task<T> task, Connection connection) {
        try {
            if (connection == null) connection = SqliteFile.connect(file);
            task.future().complete(task.query().run(connection));
            return connection;
        } catch (SQLException | RuntimeException | Error e) {
            task.future().completeExceptionally(new StoreException("reading " + file + " failed: " + e.getMessage(), e));
            SqliteFile.closeQuietly(connection);
            return null;
        }
    }
}
