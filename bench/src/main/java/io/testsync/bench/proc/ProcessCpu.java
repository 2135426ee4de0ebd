package io.testsync.bench.proc;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * CPU time a child process has used so far, all of it or that of its threads of one name, from
 * {@code /proc/<pid>/stat} and {@code /proc/<pid>/task/<tid>/stat}, in clock ticks (USER_HZ, 100 a
 * second). Read around the measured windows of a row, it says where a request's CPU goes.
 */
public final class ProcessCpu {
    /** Microseconds per clock tick. */
    public static final double TICK_MICROS = 10_000;

    private ProcessCpu() {
    }

    /** User plus system ticks of every thread of the process; -1 when /proc cannot tell (not Linux, exited). */
    public static long ticks(long pid) {
        return statTicks(Path.of("/proc", Long.toString(pid), "stat"));
    }

    /** Ticks of the process's threads named {@code name} (as {@code /proc} shortens it: 15 characters); -1 when unknown. */
    public static long threadTicks(long pid, String name) {
        String comm = name.length() > 15 ? name.substring(0, 15) : name;
        try (Stream<Path> tasks = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
            long sum = 0;
            for (Path task : (Iterable<Path>) tasks::iterator) {
                if (!Files.readString(task.resolve("comm")).strip().equals(comm)) continue;
                long t = statTicks(task.resolve("stat"));
                if (t < 0) return -1;
                sum += t;
            }
            return sum;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    private static long statTicks(Path stat) {
        try {
            String line = Files.readString(stat);
            String[] f = line.substring(line.lastIndexOf(')') + 2).split(" "); // f[0] is field 3 (state)
            return Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime, stime
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }
}
