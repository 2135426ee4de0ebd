package io.testsync.server.store;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

/**
 * The database file: checks its path, opens connections configured for durability, and refuses
 * (or, when asked, moves aside) a file that is not a sound SQLite database. Startup problems are
 * one-line {@link StoreOpenException}s naming the path and the fix.
 */
final class SqliteFile {

    private static final Logger log = LoggerFactory.getLogger(SqliteFile.class);

    /** How long a connection waits for a lock held by another connection (another process, a checkpoint). */
    static final int BUSY_TIMEOUT_MS = 5_000;

    /** The first 16 bytes of every SQLite 3 database file. */
    private static final byte[] MAGIC = "SQLite format 3\0".getBytes(StandardCharsets.US_ASCII);

    /** Files SQLite keeps next to the database; they belong to it and move with it. */
    private static final String[] SIDE_FILES = {"-wal", "-shm", "-journal"};

    private static final String SCHEMA = "CREATE TABLE IF NOT EXISTS data ("
            + "test_id TEXT PRIMARY KEY, content_type TEXT NOT NULL, bytes BLOB NOT NULL, "
            + "updated_at INTEGER NOT NULL)";

    /**
     * Retention looks for rows by age. A covering index: without it the sweep would scan the table,
     * and reaching updated_at, stored after the blob, walks every large blob's overflow pages.
     */
    private static final String IDLE_INDEX = "CREATE INDEX IF NOT EXISTS data_idle ON data (updated_at, test_id)";

    /** One row that readiness rewrites: a commit that proves the file takes writes, apart from the runs' data. */
    private static final String READINESS = "CREATE TABLE IF NOT EXISTS readiness ("
            + "id INTEGER PRIMARY KEY, checked_at INTEGER NOT NULL)";

    private SqliteFile() {
    }

    /**
     * Validates the path, creates parent directories, verifies the file and the schema, and
     * returns the writer's connection.
     */
    static Connection openVerified(Path file, boolean moveAsideIfCorrupt) throws StoreOpenException {
        preparePath(file);
        try {
            checkHeader(file);
            return initialize(file);
        } catch (SQLException e) {
            if (!isCorruption(e)) throw unusable(file, e);
            if (!moveAsideIfCorrupt) {
                throw new StoreOpenException("storage.sqlite_path: " + file
                        + " is not a SQLite database or is corrupt (" + reason(e) + "); move it aside,"
                        + " or start with --move-corrupt-db-aside to have it renamed");
            }
            moveAside(file, reason(e));
            try {
                return initialize(file);
            } catch (SQLException again) {
                throw unusable(file, again);
            }
        }
    }

    /**
     * A connection in WAL mode with {@code synchronous=FULL}: a commit returns only once the WAL is
     * fsynced, which is what lets an acknowledged write survive {@code kill -9} and power loss.
     */
    static Connection connect(Path file) throws SQLException {
        SQLiteConfig config = new SQLiteConfig();
        config.setJournalMode(SQLiteConfig.JournalMode.WAL);
        config.setSynchronous(SQLiteConfig.SynchronousMode.FULL);
        config.setBusyTimeout(BUSY_TIMEOUT_MS);
        // Otherwise the driver follows every INSERT with a prepared "SELECT last_insert_rowid()":
        // nothing here reads generated keys, and that query was a fifth of the writer's CPU.
        config.setGetGeneratedKeys(false);
        return config.createConnection("jdbc:sqlite:" + file);
    }

    private static void preparePath(Path file) throws StoreOpenException {
        if (Files.isDirectory(file)) {
            throw new StoreOpenException("storage.sqlite_path: " + file
                    + " is a directory; set it to a database file such as " + file.resolve("testsync.db"));
        }
        Path parent = file.getParent();
        if (parent == null) return;
        try {
            Files.createDirectories(parent);
        } catch (IOException e) {
            throw new StoreOpenException("storage.sqlite_path: cannot create directory " + parent + " ("
                    + oneLine(e.getClass().getSimpleName() + ": " + e.getMessage())
                    + "); create it or choose another path");
        }
        if (!Files.isWritable(parent)) {
            // SQLite creates the -wal and -shm files next to the database: the directory must be writable too.
            throw new StoreOpenException("storage.sqlite_path: directory " + parent
                    + " is not writable; fix its permissions or choose another path");
        }
        if (Files.exists(file) && (!Files.isReadable(file) || !Files.isWritable(file))) {
            throw new StoreOpenException("storage.sqlite_path: " + file
                    + " is not readable and writable; fix its permissions or choose another path");
        }
    }

    /**
     * Refuses a non-empty file without SQLite's magic header before SQLite touches it: a failed open
     * would otherwise already delete side files (such as a WAL) that belong with the file.
     */
    private static void checkHeader(Path file) throws SQLException, StoreOpenException {
        if (!Files.exists(file)) return;
        byte[] header = new byte[MAGIC.length];
        int read;
        try (InputStream in = Files.newInputStream(file)) {
            read = in.readNBytes(header, 0, header.length);
        } catch (IOException e) {
            throw new StoreOpenException("storage.sqlite_path: cannot read " + file + " ("
                    + oneLine(e.toString()) + "); check its permissions, or choose another path");
        }
        // An empty file is what SQLite itself treats as a new database.
        if (read > 0 && !Arrays.equals(header, MAGIC)) {
            throw new SQLiteException("file is not a database", SQLiteErrorCode.SQLITE_NOTADB);
        }
    }

    /** Opens, checks every page (quick_check) and creates the table: a bad file is found at startup, not by a request. */
    private static Connection initialize(Path file) throws SQLException {
        Connection connection = connect(file);
        try (Statement statement = connection.createStatement()) {
            try (ResultSet rows = statement.executeQuery("PRAGMA quick_check")) {
                String first = rows.next() ? rows.getString(1) : "no answer";
                if (!"ok".equalsIgnoreCase(first)) {
                    throw new SQLiteException("quick_check: " + first, SQLiteErrorCode.SQLITE_CORRUPT);
                }
            }
            statement.execute(SCHEMA);
            statement.execute(IDLE_INDEX);
            statement.execute(READINESS);
            return connection;
        } catch (SQLException | RuntimeException e) {
            closeQuietly(connection);
            throw e;
        }
    }

    private static void moveAside(Path file, String reason) throws StoreOpenException {
        Path aside = file.resolveSibling(file.getFileName() + ".corrupt-" + System.currentTimeMillis());
        try {
            // Side files first: a stale WAL left next to a fresh database would be replayed into it.
            for (String suffix : SIDE_FILES) {
                Path side = file.resolveSibling(file.getFileName() + suffix);
                if (Files.exists(side)) {
                    Files.move(side, aside.resolveSibling(aside.getFileName() + suffix), StandardCopyOption.ATOMIC_MOVE);
                }
            }
            Files.move(file, aside, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new StoreOpenException("storage.sqlite_path: " + file + " is corrupt (" + reason
                    + ") and could not be moved aside (" + oneLine(e.toString()) + "); move it yourself");
        }
        log.warn("storage.sqlite_path: {} is not a SQLite database or is corrupt ({}); moved it to {} and starting with an empty database",
                file, reason, aside);
    }

    private static boolean isCorruption(SQLException e) {
        int primary = e.getErrorCode() & 0xff;
        return primary == SQLiteErrorCode.SQLITE_NOTADB.code || primary == SQLiteErrorCode.SQLITE_CORRUPT.code;
    }

    private static StoreOpenException unusable(Path file, SQLException e) {
        return new StoreOpenException("storage.sqlite_path: cannot open " + file + " (" + reason(e)
                + "); check that the file and its directory are writable, or choose another path");
    }

    /** SQLite's own words ("file is not a database"), which sqlite-jdbc puts last, in parentheses. */
    static String reason(SQLException e) {
        String message = oneLine(String.valueOf(e.getMessage()));
        int open = message.lastIndexOf('(');
        if (message.startsWith("[SQLITE_") && open >= 0 && message.endsWith(")") && open < message.length() - 2) {
            return message.substring(open + 1, message.length() - 1);
        }
        return message;
    }

    private static String oneLine(String text) {
        return text.replaceAll("\\s+", " ").trim();
    }

    static void closeQuietly(AutoCloseable closeable) {
        if (closeable == null) return;
        try {
            closeable.close();
        } catch (Exception ignored) {
            // Nothing to do: the connection is being discarded anyway.
        }
    }
}
