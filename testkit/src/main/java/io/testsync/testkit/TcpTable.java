package io.testsync.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The kernel's table of TCP connections ({@code /proc/net/tcp} and {@code tcp6}, Linux), read as the
 * client sees its own end: whether a connection is still there, in which state, with how many bytes
 * queued. A socket the peer reset is no longer listed.
 */
public final class TcpTable {
    private static final List<String> STATES = List.of("?", "ESTABLISHED", "SYN_SENT", "SYN_RECV", "FIN_WAIT1", "FIN_WAIT2",
            "TIME_WAIT", "CLOSE", "CLOSE_WAIT", "LAST_ACK", "LISTEN", "CLOSING", "NEW_SYN_RECV");

    private TcpTable() {
    }

    /** One listed connection: its state and the bytes in its send and receive queues. */
    public record Entry(String state, long sendQueue, long receiveQueue) {
    }

    /** The connection from {@code localPort} to {@code remotePort} on this machine; empty when the kernel no longer lists it. */
    public static Optional<Entry> find(int localPort, int remotePort) {
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            Path file = Path.of(table);
            if (!Files.exists(file)) continue;
            List<String> lines;
            try {
                lines = Files.readAllLines(file);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + file + " (the TCP table needs Linux)", e);
            }
            for (String line : lines.subList(1, lines.size())) {
                String[] f = line.trim().split("\\s+");
                if (port(f[1]) == localPort && port(f[2]) == remotePort) {
                    String[] queues = f[4].split(":");
                    int st = Integer.parseInt(f[3], 16);
                    return Optional.of(new Entry(st < STATES.size() ? STATES.get(st) : f[3],
                            Long.parseLong(queues[0], 16), Long.parseLong(queues[1], 16)));
                }
            }
        }
        return Optional.empty();
    }

    /** True while that connection is listed as ESTABLISHED. */
    public static boolean established(int localPort, int remotePort) {
        return find(localPort, remotePort).map(e -> e.state().equals("ESTABLISHED")).orElse(false);
    }

    private static int port(String address) {
        return Integer.parseInt(address.substring(address.indexOf(':') + 1), 16);
    }
}
