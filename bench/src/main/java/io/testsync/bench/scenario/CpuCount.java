package io.testsync.bench.scenario;

import io.testsync.bench.load.LoopResult;
import io.testsync.bench.proc.ProcessCpu;

import java.util.function.LongUnaryOperator;

/**
 * The CPU ticks a server (or some of its threads) used during the measured windows of one side of
 * a comparison, read from /proc before and after each; warm-up windows are not counted.
 */
final class CpuCount {
    private final LongUnaryOperator ticksOf;
    private final long pid;
    private long ticks;
    private boolean known = true;

    private CpuCount(long pid, LongUnaryOperator ticksOf) {
        this.pid = pid;
        this.ticksOf = ticksOf;
    }

    static CpuCount process(long pid) {
        return new CpuCount(pid, ProcessCpu::ticks);
    }

    /** Threads named {@code name}, as /proc shortens it. */
    static CpuCount threads(long pid, String name) {
        return new CpuCount(pid, p -> ProcessCpu.threadTicks(p, name));
    }

    /** The same side, counting this server's CPU over its measured windows. */
    Interleave.Side around(Interleave.Side side) {
        return window -> {
            if (window.measuredSeconds() <= 0) return side.run(window);
            long before = ticksOf.applyAsLong(pid);
            LoopResult result = side.run(window);
            long after = ticksOf.applyAsLong(pid);
            if (before < 0 || after < 0) known = false;
            else ticks += after - before;
            return result;
        };
    }

    /** Microseconds of CPU per unit of work counted over the same windows; NaN when /proc could not tell. */
    double microsPer(long count) {
        return known && count > 0 ? ticks * ProcessCpu.TICK_MICROS / count : Double.NaN;
    }
}
