package io.testsync.bench.proc;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * How much CPU other processes used while the bench ran: all busy CPU time of the machine
 * (/proc/stat) minus the bench's own and its reaped children's (/proc/self/stat). On a shared
 * machine this tells which rows were measured next to someone else's work.
 */
public final class MachineLoad {
    private final long busyTicks;
    private final long ownTicks;
    private final long nanos;

    private MachineLoad(long busyTicks, long ownTicks, long nanos) {
        this.busyTicks = busyTicks;
        this.ownTicks = ownTicks;
        this.nanos = nanos;
    }

    /** Now; null where /proc cannot be read (not Linux). */
    public static MachineLoad now() {
        try {
            String cpu = Files.readAllLines(Path.of("/proc/stat")).get(0); // "cpu  user nice system idle iowait irq softirq steal ..."
            String[] f = cpu.trim().split("\\s+");
            long busy = 0;
            for (int i = 1; i < f.length && i <= 8; i++) {
                if (i != 4 && i != 5) busy += Long.parseLong(f[i]); // all but idle and iowait
            }
            String self = Files.readString(Path.of("/proc/self/stat"));
            String[] s = self.substring(self.lastIndexOf(')') + 2).split(" "); // s[0] is field 3 (state)
            long own = Long.parseLong(s[11]) + Long.parseLong(s[12]) + Long.parseLong(s[13]) + Long.parseLong(s[14]);
            return new MachineLoad(busy, own, System.nanoTime());
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /**
     * Cores' worth of CPU that processes other than the bench and its children used since
     * {@code start}, on average; NaN when unknown. Children count once they have exited.
     */
    public static double otherCoresSince(MachineLoad start) {
        MachineLoad end = now();
        if (start == null || end == null || end.nanos <= start.nanos) return Double.NaN;
        double ticksPerSecond = 100; // USER_HZ, 100 on every Linux the JDK runs on
        double seconds = (end.nanos - start.nanos) / 1e9;
        double other = (end.busyTicks - start.busyTicks) - (end.ownTicks - start.ownTicks);
        return Math.max(0, other / ticksPerSecond / seconds);
    }
}
