package io.testsync.server.config;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * Names of cluster nodes ({@code cluster.node_id}): what a name may hold, and the default one, unique
 * without configuration: host name, process id and a random part (two nodes in containers may share
 * both host name and pid 1).
 */
public final class NodeIds {
    /** Longest node id: it is part of Redis keys and of every log line about the node. */
    public static final int MAX_LENGTH = 100;

    /** The rule as users read it in error messages. */
    public static final String RULE = "1-" + MAX_LENGTH + " characters from A-Z a-z 0-9 . _ : -";

    private static final Pattern VALID = Pattern.compile("[A-Za-z0-9._:-]{1," + MAX_LENGTH + "}");

    /** Computed once: every Config.defaults() of this process names the same node. */
    private static final String PROCESS_DEFAULT = generate();

    private NodeIds() {}

    public static boolean isValid(String id) {
        return id != null && VALID.matcher(id).matches();
    }

    /** This process's default node id, e.g. {@code build-7.example-4242-3f9a1c2b}. */
    public static String processDefault() {
        return PROCESS_DEFAULT;
    }

    static String generate() {
        String host = hostName().replaceAll("[^A-Za-z0-9.-]", "-");
        if (host.isEmpty()) host = "node";
        // unique, not secret: no SecureRandom, whose seeding is a measurable part of startup
        int random = java.util.concurrent.ThreadLocalRandom.current().nextInt();
        String suffix = "-" + ProcessHandle.current().pid() + "-" + HexFormat.of().toHexDigits(random);
        int room = MAX_LENGTH - suffix.length();
        return (host.length() > room ? host.substring(0, room) : host) + suffix;
    }

    /** Without a DNS lookup (InetAddress.getLocalHost can stall startup for seconds on a badly set up host). */
    private static String hostName() {
        for (String variable : new String[] {"HOSTNAME", "COMPUTERNAME"}) {
            String value = System.getenv(variable);
            if (value != null && !value.isBlank()) return value.trim();
        }
        try {
            return Files.readString(Path.of("/proc/sys/kernel/hostname")).trim();
        } catch (Exception e) {
            return "node";
        }
    }
}
