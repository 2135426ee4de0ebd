package io.testsync.server.cluster;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;

/**
 * A Lua script run with {@code EVALSHA}. Its SHA-1 is computed here, as Redis computes it, so a call
 * needs no round trip to learn it; {@link RedisLink} loads the source again when Redis answers
 * {@code NOSCRIPT} (after a restart the script cache is empty).
 *
 * @param name   for logs and errors
 * @param source the Lua text
 * @param sha1   lower-case hex SHA-1 of the source
 */
public record Script(String name, String source, String sha1) {

    public Script {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(sha1, "sha1");
    }

    public static Script of(String name, String source) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-1").digest(source.getBytes(StandardCharsets.UTF_8));
            return new Script(name, source, HexFormat.of().formatHex(digest));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-1", e);
        }
    }
}
