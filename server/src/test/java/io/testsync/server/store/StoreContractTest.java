package io.testsync.server.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.time.Duration;
import java.util.function.IntFunction;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The storage contract (SPEC §5): every backend passes exactly these tests. */
abstract class StoreContractTest {

    static final long TIMEOUT_SECONDS = 30;

    DataStore store;

    /** A new, empty store of the backend under test. */
    abstract DataStore newStore() throws Exception;

    @BeforeEach
    void openStore() throws Exception {
        store = newStore();
    }

    @AfterEach
    void closeStore() {
        store.close();
    }

    @Test
    void getOfARunWithoutDataIsEmpty() {
        assertThat(await(store.get("42"))).isEmpty();
    }

    @Test
    void createThenGetReturnsTheExactBytesAndContentType() {
        StoredData data = new StoredData(utf8("{\"users\": [1, 2]}\n"), "application/json; charset=utf-8");
        assertThat(await(store.create("42", data))).isTrue();
        assertStored("42", data);
    }

    @Test
    void createWhenDataExistsReturnsFalseAndChangesNothing() {
        StoredData first = text("first");
        assertThat(await(store.create("42", first))).isTrue();
        assertThat(await(store.create("42", new StoredData(utf8("second"), "application/json")))).isFalse();
        assertStored("42", first);
    }

    @Test
    void putStoresDataForARunWithout() {
        await(store.put("42", text("new")));
        assertStored("42", text("new"));
    }

    @Test
    void putReplacesBytesAndContentType() {
        await(store.create("42", text("old")));
        StoredData replacement = new StoredData(utf8("[\"new\"]"), "application/json");
        await(store.put("42", replacement));
        assertStored("42", replacement);
    }

    @Test
    void deleteReturnsTrueThenFalseAndTheDataIsGone() {
        await(store.put("42", text("x")));
        assertThat(await(store.delete("42"))).isTrue();
        assertThat(await(store.get("42"))).isEmpty();
        assertThat(await(store.delete("42"))).isFalse();
    }

    @Test
    void createAfterDeleteStoresAgain() {
        await(store.create("42", text("one")));
        await(store.delete("42"));
        assertThat(await(store.create("42", text("two")))).isTrue();
        assertStored("42", text("two"));
    }

    @Test
    void anEmptyByteArrayIsDataNotAbsence() {
        StoredData empty = new StoredData(new byte[0], "application/octet-stream");
        assertThat(await(store.create("created", empty))).isTrue();
        await(store.put("put", empty));
        assertStored("created", empty);
        assertStored("put", empty);
        assertThat(await(store.create("created", text("x")))).isFalse();
    }

    @Test
    void aTenMibPayloadRoundTripsExactly() {
        byte[] bytes = new byte[10 * 1024 * 1024];
        new Random(7).nextBytes(bytes);
        StoredData data = new StoredData(bytes, "application/octet-stream");
        await(store.put("big", data));
        assertStored("big", data);
    }

    @Test
    void everyByteValueRoundTrips() {
        byte[] bytes = new byte[512];
        for (int i = 0; i < bytes.length; i++) bytes[i] = (byte) i; // 0x00..0xFF twice, NULs included
        StoredData data = new StoredData(bytes, "application/octet-stream");
        await(store.create("binary", data));
        assertStored("binary", data);
    }

    @Test
    void runIdsAreComparedExactly() {
        await(store.put("run-1", text("lower")));
        await(store.put("Run-1", text("upper")));
        await(store.put("01", text("zero-one")));
        assertStored("run-1", text("lower"));
        assertStored("Run-1", text("upper"));
        assertStored("01", text("zero-one"));
        assertThat(await(store.get("1"))).isEmpty();
        assertThat(await(store.get("RUN-1"))).isEmpty();
    }

    @Test
    void callerMayReuseItsArrayOnceTheWriteIsAcknowledged() {
        byte[] buffer = utf8("original");
        await(store.put("42", new StoredData(buffer, "text/plain")));
        Arrays.fill(buffer, (byte) 'x');
        assertStored("42", text("original"));
    }

    @Test
    void changesSubmittedWithoutWaitingApplyInSubmissionOrder() {
        CompletableFuture<Boolean> create = store.create("42", text("a"));
        CompletableFuture<Void> put = store.put("42", text("b"));
        CompletableFuture<Boolean> delete = store.delete("42");
        CompletableFuture<Boolean> createAgain = store.create("42", text("c"));
        CompletableFuture<Boolean> createOnceMore = store.create("42", text("d"));
        assertThat(await(create)).isTrue();
        await(put);
        assertThat(await(delete)).isTrue();
        assertThat(await(createAgain)).isTrue();
        assertThat(await(createOnceMore)).isFalse();
        assertStored("42", text("c"));
    }

    @Test
    void everyAcknowledgedWriteOfManyConcurrentWritersReadsBack() throws Exception {
        int writers = 64;
        int putsEach = 50;
        runConcurrently(writers, w -> () -> {
            for (int i = 0; i < putsEach; i++) {
                String id = "run-" + w + "-" + i;
                StoredData data = new StoredData(utf8(id + ":" + "p".repeat(i * 10)), "text/plain");
                await(store.put(id, data));
                // Read right after the acknowledgement, as an agent would: the write must be visible.
                assertStored(id, data);
            }
            return null;
        });
        for (int w = 0; w < writers; w++) {
            for (int i = 0; i < putsEach; i++) {
                String id = "run-" + w + "-" + i;
                assertStored(id, new StoredData(utf8(id + ":" + "p".repeat(i * 10)), "text/plain"));
            }
        }
    }

    @Test
    void concurrentCreatesOfOneRunHaveExactlyOneWinner() throws Exception {
        int creators = 64;
        List<Boolean> results = runConcurrently(creators,
                c -> () -> await(store.create("contested", text("creator-" + c))));
        assertThat(results).containsOnlyOnce(true);
        int winner = results.indexOf(true);
        assertStored("contested", text("creator-" + winner));
    }

    @Test
    void checkSucceedsOnAWorkingStore() {
        await(store.check());
    }

    // ---- retention ----

    @Test
    void removeIdleRemovesDataWrittenBeforeTheCutoffExceptWhatKeepAccepts() {
        await(store.put("old-1", text("a")));
        await(store.create("old-2", text("b")));
        await(store.put("kept", text("c")));
        long cutoff = afterNow();
        await(store.put("new", text("d")));
        List<String> asked = new CopyOnWriteArrayList<>();

        List<String> removed = await(store.removeIdle(cutoff, id -> {
            asked.add(id);
            return id.equals("kept");
        }));

        assertThat(removed).containsExactlyInAnyOrder("old-1", "old-2");
        assertThat(asked).as("keep is asked only about runs written before the cutoff")
                .containsExactlyInAnyOrder("old-1", "old-2", "kept");
        assertThat(await(store.get("old-1"))).isEmpty();
        assertThat(await(store.get("old-2"))).isEmpty();
        assertStored("kept", text("c"));
        assertStored("new", text("d"));
    }

    @Test
    void aWriteAfterTheCutoffKeepsTheRun() {
        await(store.put("42", text("first")));
        long cutoff = afterNow();
        await(store.put("42", text("rewritten")));
        assertThat(await(store.removeIdle(cutoff, id -> false))).isEmpty();
        assertStored("42", text("rewritten"));
    }

    @Test
    void removeIdleWithACutoffBeforeEveryWriteRemovesNothing() {
        await(store.put("42", text("x")));
        assertThat(await(store.removeIdle(0, id -> false))).isEmpty();
        assertThat(await(store.removeIdle(Long.MIN_VALUE, id -> false))).isEmpty();
        assertStored("42", text("x"));
    }

    @Test
    void aRemovedRunCanBeCreatedAgainAndDeleteAfterRemovalFindsNothing() {
        await(store.put("42", text("x")));
        await(store.put("43", text("y")));
        assertThat(await(store.removeIdle(Long.MAX_VALUE, id -> false))).containsExactlyInAnyOrder("42", "43");
        assertThat(await(store.delete("43"))).isFalse();
        assertThat(await(store.create("42", text("again")))).isTrue();
        assertStored("42", text("again"));
    }

    @Test
    void removeIdleOfAnEmptyStoreRemovesNothing() {
        assertThat(await(store.removeIdle(Long.MAX_VALUE, id -> false))).isEmpty();
    }

    @Test
    void removeIdleOfManyRunsRemovesEveryOne() {
        int runs = 1_234; // more than one delete chunk of the durable backend
        List<CompletableFuture<Void>> puts = new ArrayList<>();
        for (int i = 0; i < runs; i++) puts.add(store.put("run-" + i, text("v" + i)));
        puts.forEach(StoreContractTest::await);
        List<String> removed = await(store.removeIdle(Long.MAX_VALUE, id -> id.endsWith("7")));
        assertThat(removed).hasSize(runs - (int) java.util.stream.IntStream.range(0, runs).filter(i -> i % 10 == 7).count())
                .doesNotHaveDuplicates().allMatch(id -> !id.endsWith("7"));
        assertThat(await(store.get("run-0"))).isEmpty();
        assertStored("run-17", text("v17"));
    }

    @Test
    void afterCloseEveryCallFailsWithStoreExceptionAndCloseMayBeRepeated() {
        await(store.put("42", text("x")));
        store.close();
        store.close();
        List<CompletableFuture<?>> calls = List.of(store.get("42"), store.create("43", text("y")),
                store.put("42", text("z")), store.delete("42"), store.check(), store.removeIdle(Long.MAX_VALUE, id -> false));
        for (CompletableFuture<?> call : calls) {
            assertThatThrownBy(() -> await(call)).isInstanceOf(StoreException.class).hasMessageContaining("closed");
        }
    }

    // ---- helpers shared by the backend tests ----

    static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    static StoredData text(String text) {
        return new StoredData(utf8(text), "text/plain");
    }

    /** The future's value within the timeout; a StoreException (or other runtime failure) is rethrown as is. */
    static <T> T await(CompletableFuture<T> future) {
        try {
            return future.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) throw runtime;
            throw new AssertionError("future failed", e.getCause());
        } catch (TimeoutException e) {
            throw new AssertionError("future not completed within " + TIMEOUT_SECONDS + " s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /**
     * A cutoff at or after every write so far and before every write from now on: this instant plus
     * one millisecond, returned once the clock has passed it (both backends stamp writes with it).
     */
    static long afterNow() {
        long cutoff = System.currentTimeMillis() + 1;
        Awaitility.await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(1))
                .until(() -> System.currentTimeMillis() > cutoff);
        return cutoff;
    }

    void assertStored(String testId, StoredData expected) {
        Optional<StoredData> actual = await(store.get(testId));
        assertThat(actual).as("data of %s", testId).isPresent();
        assertThat(actual.get().contentType()).as("content type of %s", testId).isEqualTo(expected.contentType());
        byte[] bytes = actual.get().bytes();
        // Arrays.mismatch keeps a failure readable for a 10 MiB payload.
        assertThat(Arrays.mismatch(bytes, expected.bytes()))
                .as("first differing byte of %s (%d bytes stored, %d expected)", testId, bytes.length, expected.bytes().length)
                .isEqualTo(-1);
    }

    /** Starts {@code count} tasks together on their own threads and returns their results in task order. */
    static <T> List<T> runConcurrently(int count, IntFunction<Callable<T>> task) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(count);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<T>> futures = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                Callable<T> body = task.apply(i);
                futures.add(pool.submit(() -> {
                    start.await();
                    return body.call();
                }));
            }
            start.countDown();
            List<T> results = new ArrayList<>();
            for (Future<T> future : futures) {
                results.add(future.get(TIMEOUT_SECONDS * 2, TimeUnit.SECONDS));
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }
}
