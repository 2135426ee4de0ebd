package io.testsync.server.config;

/**
 * A configuration the server cannot run with. The message is the ONE line printed on stderr before
 * exit status 1: it names the file or key and the fix.
 */
public final class ConfigException extends Exception {
    public ConfigException(String message) {
        super(message, null, false, false);
    }
}
