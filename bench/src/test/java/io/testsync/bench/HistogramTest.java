package io.testsync.bench;

import io.testsync.bench.load.Histogram;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class HistogramTest {

    @Test
    void smallValuesAreExact() {
        Histogram h = new Histogram();
        for (int v = 1; v <= 100; v++) h.record(v);
        assertThat(h.percentileNanos(50)).isEqualTo(50);
        assertThat(h.percentileNanos(99)).isEqualTo(99);
        assertThat(h.percentileNanos(100)).isEqualTo(100);
        assertThat(h.maxNanos()).isEqualTo(100);
    }

    @Test
    void percentilesOfLargeValuesAreWithinHalfAPercentOfSortedSamples() {
        Random random = new Random(42);
        long[] samples = new long[100_000];
        Histogram h = new Histogram();
        for (int i = 0; i < samples.length; i++) {
            samples[i] = (long) Math.exp(8 + random.nextDouble() * 12); // ~3 us to ~500 ms
            h.record(samples[i]);
        }
        Arrays.sort(samples);
        for (double p : new double[]{50, 90, 99, 99.9}) {
            long exact = samples[(int) Math.ceil(p / 100 * samples.length) - 1];
            assertThat((double) h.percentileNanos(p)).as("p" + p).isCloseTo(exact, within(exact * 0.005));
        }
        assertThat(h.maxNanos()).isEqualTo(samples[samples.length - 1]);
    }

    @Test
    void mergedHistogramsCountEverything() {
        Histogram a = new Histogram();
        Histogram b = new Histogram();
        a.record(1_000);
        b.record(5_000_000);
        b.record(7);
        a.add(b);
        assertThat(a.count()).isEqualTo(3);
        assertThat(a.maxNanos()).isEqualTo(5_000_000);
        assertThat(a.minNanos()).isEqualTo(7);
        assertThat(new Histogram().percentileNanos(99)).isZero();
    }
}
