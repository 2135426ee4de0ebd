package io.testsync.bench.load;

/**
 * Latencies in nanoseconds, counted in log-linear buckets: exact below 256 ns, then 128 buckets per
 * power of two, so a percentile is within 0.4% of the true value while the memory stays fixed
 * (35 KB) however many samples arrive. Not thread-safe: each event loop keeps its own and they are
 * merged once the measurement is over.
 */
public final class Histogram {
    private static final int SUB_BITS = 7;
    private static final int SUB = 1 << SUB_BITS;
    /** 2^40 ns is 18 minutes: anything longer is a hang, not a latency, and lands in the top bucket. */
    private static final int MAX_EXPONENT = 40;
    private static final long CEILING = (1L << MAX_EXPONENT) - 1;

    private final long[] counts = new long[(MAX_EXPONENT - SUB_BITS + 1) * SUB];
    private long total;
    private long max;
    private long min = Long.MAX_VALUE;

    public void record(long nanos) {
        long v = Math.min(Math.max(0, nanos), CEILING);
        counts[index(v)]++;
        total++;
        if (v > max) max = v;
        if (v < min) min = v;
    }

    public void add(Histogram other) {
        for (int i = 0; i < counts.length; i++) counts[i] += other.counts[i];
        total += other.total;
        max = Math.max(max, other.max);
        min = Math.min(min, other.min);
    }

    public long count() {
        return total;
    }

    public long maxNanos() {
        return total == 0 ? 0 : max;
    }

    public long minNanos() {
        return total == 0 ? 0 : min;
    }

    /** The value below or at which {@code percent} % of the samples lie; 0 when there are none. */
    public long percentileNanos(double percent) {
        if (total == 0) return 0;
        long rank = Math.max(1, (long) Math.ceil(percent / 100.0 * total));
        long seen = 0;
        for (int i = 0; i < counts.length; i++) {
            seen += counts[i];
            if (seen >= rank) return Math.min(Math.max(middleOf(i), min), max);
        }
        return max;
    }

    public double percentileMillis(double percent) {
        return percentileNanos(percent) / 1e6;
    }

    public double maxMillis() {
        return maxNanos() / 1e6;
    }

    static int index(long v) {
        if (v < SUB) return (int) v;
        int exponent = 63 - Long.numberOfLeadingZeros(v); // >= SUB_BITS
        int shift = exponent - SUB_BITS;
        // v >> shift keeps the leading bit and SUB_BITS bits below it: a value in [SUB, 2 * SUB)
        return shift * SUB + (int) (v >>> shift);
    }

    static long middleOf(int index) {
        if (index < 2 * SUB) return index; // buckets one nanosecond wide
        int shift = index / SUB - 1;
        long lower = (long) (index - shift * SUB) << shift;
        return lower + (1L << shift) / 2;
    }
}
