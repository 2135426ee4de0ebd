package io.testsync.server.metrics;

import io.testsync.server.store.DataStore;
import io.testsync.server.store.MemoryStore;
import io.testsync.server.store.StoredData;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Label values from closed sets only, whatever arrives; store writes timed and failures counted. */
class ServerMetricsTest {
    final ServerMetrics metrics = new ServerMetrics();

    @AfterEach
    void close() {
        metrics.close();
    }

    @Test
    void anHttpStatusOutsideTheValidRangeIsCountedAsOther() {
        metrics.httpRequest(HttpRoute.OTHER, 431);
        metrics.httpRequest(HttpRoute.OTHER, 431);
        metrics.httpRequest(HttpRoute.TESTS, 42);
        metrics.httpRequest(HttpRoute.TESTS, 600);
        String scrape = metrics.scrape();
        assertThat(scrape).contains("testsync_http_requests_total{route=\"other\",status=\"431\"} 2.0")
                .contains("testsync_http_requests_total{route=\"tests\",status=\"other\"} 2.0")
                .doesNotContain("status=\"42\"").doesNotContain("status=\"600\"");
    }

    @Test
    void storeWritesAreTimedAndFailuresCounted() {
        MemoryStore memory = new MemoryStore();
        DataStore timed = metrics.timed(memory);
        StoredData data = new StoredData(new byte[] {1}, "application/octet-stream");
        timed.put("a", data).join();
        timed.create("a", data).join();
        timed.delete("a").join();
        memory.close(); // every later call fails
        assertThat(timed.put("a", data)).isCompletedExceptionally();
        String scrape = metrics.scrape();
        assertThat(scrape).contains("testsync_store_write_seconds_count{op=\"put\"} 2")
                .contains("testsync_store_write_seconds_count{op=\"create\"} 1")
                .contains("testsync_store_write_seconds_count{op=\"delete\"} 1")
                .contains("testsync_store_write_failures_total{op=\"put\"} 1.0")
                .contains("testsync_store_write_failures_total{op=\"create\"} 0.0");
    }
}
