package io.testsync.bench.load;

/**
 * What a closed loop measured inside its window: answered exchanges, their latency, and the
 * wrong answers (which never count as answered).
 */
public record LoopResult(long answered, double seconds, Histogram latency, long errors) {

    public double perSecond() {
        return seconds <= 0 ? 0 : answered / seconds;
    }

    /** Both measurements as one: counts and time added, latencies merged. */
    public LoopResult plus(LoopResult other) {
        return merge(java.util.List.of(this, other), seconds + other.seconds);
    }

    static LoopResult merge(Iterable<LoopResult> parts, double seconds) {
        long answered = 0;
        long errors = 0;
        Histogram all = new Histogram();
        for (LoopResult p : parts) {
            answered += p.answered;
            errors += p.errors;
            all.add(p.latency);
        }
        return new LoopResult(answered, seconds, all, errors);
    }
}
