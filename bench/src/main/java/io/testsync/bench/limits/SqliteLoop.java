package io.testsync.bench.limits;

import io.testsync.bench.load.Histogram;
import io.testsync.bench.load.LoopResult;
import io.testsync.bench.load.Window;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The durable limit: one writer, one transaction (so one fsync) per write, WAL and
 * synchronous=FULL, on the disk where the server keeps its database. This is what storage costs
 * without group commit; the durable scenario shows how many times better the server does.
 */
public final class SqliteLoop implements AutoCloseable {
    private final Path file;
    private final Connection db;
    private final PreparedStatement insert;
    private final byte[] row = new byte[64];
    private long seq;

    public SqliteLoop(Path dbFile) {
        this.file = dbFile;
        try {
            db = DriverManager.getConnection("jdbc:sqlite:" + dbFile.toAbsolutePath());
            try (Statement s = db.createStatement()) {
                s.execute("PRAGMA journal_mode=WAL");
                s.execute("PRAGMA synchronous=FULL");
                s.execute("CREATE TABLE IF NOT EXISTS data (test_id TEXT PRIMARY KEY, bytes BLOB NOT NULL, content_type TEXT NOT NULL)");
            }
            db.setAutoCommit(true); // every statement is its own transaction: one commit, one fsync
            insert = db.prepareStatement("INSERT OR REPLACE INTO data (test_id, bytes, content_type) VALUES (?, ?, 'text/plain')");
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    /** Writes 64-byte rows under fresh keys until the window ends; each write is one answered exchange. */
    public LoopResult run(Window window) {
        Histogram latency = new Histogram();
        long written = 0;
        try {
            while (true) {
                long sentAt = System.nanoTime();
                insert.setString(1, "w-" + ++seq);
                row[(int) (seq % row.length)]++;
                insert.setBytes(2, row);
                insert.executeUpdate();
                long now = System.nanoTime();
                if (window.counts(sentAt, now)) {
                    written++;
                    latency.record(now - sentAt);
                }
                if (window.over(now)) break;
            }
        } catch (SQLException e) {
            throw failed(e);
        }
        return new LoopResult(written, window.measuredSeconds(), latency, 0);
    }

    private IllegalStateException failed(SQLException e) {
        return new IllegalStateException("the SQLite write loop on " + file + " failed: " + e.getMessage(), e);
    }

    @Override
    public void close() {
        try {
            insert.close();
            db.close();
        } catch (SQLException ignored) {
            // the loop's database is scratch
        }
    }
}
