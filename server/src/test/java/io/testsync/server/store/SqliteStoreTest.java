package io.testsync.server.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The storage contract against SQLite, plus what only a durable backend promises. */
class SqliteStoreTest extends StoreContractTest {

    @TempDir
    Path dir;

    @Override
    DataStore newStore() throws Exception {
        return SqliteStore.open(file(), false);
    }

    /** Under directories that do not exist yet: open() creates them. */
    private Path file() {
        return dir.resolve("not/yet/there/testsync.db");
    }

    private SqliteStore sqlite() {
        return (SqliteStore) store;
    }

    @Test
    void openCreatesParentDirectoriesAndTheFile() {
        assertThat(file()).isRegularFile();
    }

    @Test
    void dataSurvivesCloseAndReopen() throws Exception {
        StoredData json = new StoredData(utf8("{\"a\":1}"), "application/json");
        StoredData empty = new StoredData(new byte[0], "application/octet-stream");
        await(store.put("json", json));
        await(store.create("empty", empty));
        await(store.put("gone", text("deleted before close")));
        await(store.delete("gone"));
        store.close();

        // A clean close folds the WAL into the database file.
        Path wal = file().resolveSibling("testsync.db-wal");
        assertThat(!Files.exists(wal) || Files.size(wal) == 0).as("WAL emptied by close").isTrue();

        store = SqliteStore.open(file(), false);
        assertStored("json", json);
        assertStored("empty", empty);
        assertThat(await(store.get("gone"))).isEmpty();
    }

    @Test
    void anAcknowledgedWriteIsCommittedToTheFileBeforeItsFutureCompletes() throws Exception {
        await(store.put("42", text("committed")));
        // An independent connection, not the store's, sees it without the store being closed: it is in the file.
        try (Connection other = DriverManager.getConnection("jdbc:sqlite:" + file());
             PreparedStatement select = other.prepareStatement("SELECT bytes, content_type, updated_at FROM data WHERE test_id = ?")) {
            select.setString(1, "42");
            try (ResultSet row = select.executeQuery()) {
                assertThat(row.next()).isTrue();
                assertThat(row.getBytes(1)).isEqualTo(utf8("committed"));
                assertThat(row.getString(2)).isEqualTo("text/plain");
                assertThat(row.getLong(3)).isPositive();
            }
        }
    }

    @Test
    void concurrentWritesShareCommits() throws Exception {
        int threads = 50;
        int putsEach = 10;
        runConcurrently(threads, t -> () -> {
            List<CompletableFuture<Void>> puts = new ArrayList<>();
            for (int i = 0; i < putsEach; i++) {
                puts.add(store.put("run-" + t + "-" + i, text("value " + i)));
            }
            puts.forEach(StoreContractTest::await);
            return null;
        });
        assertThat(sqlite().writes()).isEqualTo(threads * putsEach);
        assertThat(sqlite().commits()).as("commits for %d writes", sqlite().writes()).isLessThan(sqlite().writes());
    }

    @Test
    void aReadAfterAnAcknowledgedWriteIsAnsweredFromWhatTheWriterCommittedWithoutAReaderHop() throws Exception {
        StoredData first = text("first");
        await(store.put("r", first));
        CompletableFuture<java.util.Optional<StoredData>> read = store.get("r");
        assertThat(read).isDone();                              // no hop to a reader thread
        assertThat(read.join().orElseThrow().bytes()).isEqualTo(first.bytes());
        assertThat(await(store.create("r", text("second")))).isFalse();
        assertThat(store.get("r").join().orElseThrow().bytes()).isEqualTo(first.bytes()); // a refused create changes nothing
        assertThat(await(store.delete("r"))).isTrue();
        assertThat(store.get("r")).isDone();
        assertThat(store.get("r").join()).isEmpty();
        // a run this process has not written since it opened the file is read from the file
        assertThat(store.get("never-written")).succeedsWithin(java.time.Duration.ofSeconds(10)).isEqualTo(java.util.Optional.empty());
        store.close();
        assertThatThrownBy(() -> await(store.get("r"))).isInstanceOf(StoreException.class);
    }

    @Test
    void aFailedWriteFailsItsWholeBatchAndWritesWorkAgainOnceTheDiskRecovers() {
        await(store.put("before", text("kept")));
        byte[] large = new byte[256 * 1024]; // needs new pages, which the cap below refuses
        sqlite().maxPageCountForTest(1); // SQLite raises it to the current size: the database is "full"

        List<CompletableFuture<?>> whileFull = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            whileFull.add(store.put("full-" + i, new StoredData(large, "application/octet-stream")));
        }
        whileFull.add(store.create("full-create", new StoredData(large, "application/octet-stream")));
        for (CompletableFuture<?> write : whileFull) {
            assertThatThrownBy(() -> await(write)).isInstanceOf(StoreException.class)
                    .hasMessageContaining("full").hasCauseInstanceOf(SQLException.class);
        }
        assertThat(await(store.get("full-0"))).isEmpty();
        assertThat(await(store.get("full-create"))).isEmpty();
        assertStored("before", text("kept"));

        sqlite().maxPageCountForTest(Integer.MAX_VALUE); // the disk has room again
        StoredData data = new StoredData(large, "application/octet-stream");
        await(store.put("full-0", data));
        assertThat(await(store.create("full-create", data))).isTrue();
        assertStored("full-0", data);
        assertStored("full-create", data);
        await(store.check());
    }

    @Test
    void retentionFindsIdleRunsThroughAnIndexWithoutReadingTheirData() throws Exception {
        try (Connection other = DriverManager.getConnection("jdbc:sqlite:" + file());
             PreparedStatement plan = other.prepareStatement("EXPLAIN QUERY PLAN " + SqliteStore.SELECT_IDLE)) {
            plan.setLong(1, 0);
            try (ResultSet rows = plan.executeQuery()) {
                assertThat(rows.next()).isTrue();
                assertThat(rows.getString("detail")).contains("COVERING INDEX data_idle");
            }
        }
    }

    @Test
    void checkCommitsAProbeWriteOutsideTheRunsData() throws Exception {
        await(store.check());
        long before = sqlite().writes();
        await(store.check());
        assertThat(sqlite().writes()).as("check commits a probe write").isEqualTo(before + 1);
        assertThat(await(store.get("readiness"))).as("the probe is not a run's data").isEmpty();
    }

    @Test
    void closeFinishesEveryWriteAlreadyQueued() throws Exception {
        List<CompletableFuture<Void>> queued = new ArrayList<>();
        byte[] payload = new byte[64 * 1024];
        for (int i = 0; i < 300; i++) {
            payload[0] = (byte) i;
            queued.add(store.put("queued-" + i, new StoredData(payload.clone(), "application/octet-stream")));
        }
        store.close();
        // close() returned: every write accepted before it is acknowledged, none failed.
        for (CompletableFuture<Void> write : queued) {
            assertThat(write).isCompleted();
        }
        assertThatThrownBy(() -> await(store.put("late", text("x")))).isInstanceOf(StoreException.class)
                .hasMessage("store is closed");

        store = SqliteStore.open(file(), false);
        for (int i = 0; i < 300; i++) {
            assertThat(await(store.get("queued-" + i))).get().extracting(d -> d.bytes()[0]).isEqualTo((byte) i);
        }
        assertThat(await(store.get("late"))).isEmpty();
    }

    @Test
    void threadsAreNamedDaemonsAndStopOnClose() {
        assertThat(storeThreads()).extracting(Thread::getName)
                .contains("testsync-sqlite-writer", "testsync-sqlite-reader-1", "testsync-sqlite-reader-2");
        assertThat(storeThreads()).allMatch(Thread::isDaemon);
        store.close();
        assertThat(storeThreads()).isEmpty();
    }

    private static List<Thread> storeThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith("testsync-sqlite-") && t.isAlive())
                .toList();
    }
}
