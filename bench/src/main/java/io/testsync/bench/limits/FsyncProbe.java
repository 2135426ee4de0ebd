package io.testsync.bench.limits;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;

/**
 * The disk's own price of durability: the median of write-then-fdatasync of a few pages (what one
 * commit's WAL write is) on the disk where the server keeps its database. Measured in the same run
 * as the durable rows, it says how close to the memory backend one fsync per write can get at all.
 */
public final class FsyncProbe {
    private static final int PAGES = 3;
    private static final int SYNCS = 400;

    private FsyncProbe() {
    }

    /** Medians of one write-then-fdatasync: its wall time, and the CPU (user and system) the syncing thread spent on it. */
    public record Result(double medianMillis, double cpuMicros) {
    }

    public static Result measure(Path dir) {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        Path file = dir.resolve("fsync-probe.dat");
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer pages = ByteBuffer.allocate(PAGES * 4096);
            long[] nanos = new long[SYNCS];
            long[] cpuNanos = new long[SYNCS];
            for (int i = 0; i < SYNCS; i++) {
                pages.clear();
                pages.put(0, (byte) i);
                channel.write(pages, (long) (i % 64) * pages.capacity());
                long cpuStart = threads.getCurrentThreadCpuTime();
                long start = System.nanoTime();
                channel.force(false);
                nanos[i] = System.nanoTime() - start;
                cpuNanos[i] = threads.getCurrentThreadCpuTime() - cpuStart;
            }
            Arrays.sort(nanos);
            Arrays.sort(cpuNanos);
            return new Result(nanos[SYNCS / 2] / 1e6, cpuNanos[SYNCS / 2] / 1e3);
        } catch (IOException e) {
            throw new UncheckedIOException("fsync probe in " + dir, e);
        } finally {
            try {
                Files.deleteIfExists(file);
            } catch (IOException ignored) {
                // a leftover probe file in the bench's work dir harms nothing
            }
        }
    }
}
