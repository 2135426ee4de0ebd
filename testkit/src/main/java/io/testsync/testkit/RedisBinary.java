package io.testsync.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;

/**
 * The {@code redis-server} executable the tests run: the one on {@code PATH} when there is one, else
 * the binary that the {@code embedded-redis} test dependency carries, copied out of its jar once. So a
 * machine with only a JDK and Maven runs the Redis tests too; nothing is skipped.
 */
final class RedisBinary {
    private static Path found;

    private RedisBinary() {
    }

    static synchronized Path get() {
        if (found == null) found = onPath().orElseGet(RedisBinary::bundled);
        return found;
    }

    private static java.util.Optional<Path> onPath() {
        String path = System.getenv("PATH");
        if (path == null) return java.util.Optional.empty();
        for (String dir : path.split(java.io.File.pathSeparator)) {
            if (dir.isEmpty()) continue;
            Path candidate = Path.of(dir, "redis-server");
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) return java.util.Optional.of(candidate);
        }
        return java.util.Optional.empty();
    }

    /** The jar's resource for this OS and CPU. */
    static String resourceName() {
        String os = System.getProperty("os.name").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch").toLowerCase(Locale.ROOT);
        boolean x64 = arch.equals("amd64") || arch.equals("x86_64");
        boolean arm64 = arch.equals("aarch64") || arch.equals("arm64");
        if (os.contains("linux") && x64) return "redis-server-6.2.6-v5-linux-amd64";
        if (os.contains("linux") && arm64) return "redis-server-6.2.7-linux-arm64";
        if (os.contains("linux") && (arch.equals("x86") || arch.equals("i386"))) return "redis-server-6.2.7-linux-386";
        if (os.contains("mac") && x64) return "redis-server-6.2.6-v5-darwin-amd64";
        if (os.contains("mac") && arm64) return "redis-server-6.2.6-v5-darwin-arm64";
        throw new IllegalStateException("no redis-server on PATH and embedded-redis carries none for " + os + "/" + arch
                + "; install Redis (redis-server on PATH) to run the Redis tests");
    }

    private static Path bundled() {
        String name = resourceName();
        // One copy per user and binary, shared by test JVMs; written aside and moved in, so a concurrent
        // JVM never runs a half-written file.
        Path dir = Path.of(System.getProperty("java.io.tmpdir"), "testsync-redis-" + System.getProperty("user.name"));
        Path target = dir.resolve(name);
        if (Files.isExecutable(target)) return target;
        try (InputStream in = RedisBinary.class.getResourceAsStream("/" + name)) {
            if (in == null) {
                throw new IllegalStateException("the embedded-redis dependency lacks " + name
                        + "; declare com.github.codemonstur:embedded-redis in the module that starts Redis");
            }
            Files.createDirectories(dir);
            Path part = Files.createTempFile(dir, name, ".part");
            Files.copy(in, part, StandardCopyOption.REPLACE_EXISTING);
            if (!part.toFile().setExecutable(true)) throw new IOException("cannot make " + part + " executable");
            try {
                Files.move(part, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(part, target, StandardCopyOption.REPLACE_EXISTING);
            }
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot copy " + name + " out of the embedded-redis jar into " + dir, e);
        }
    }
}
