package io.testsync.server.store;

/**
 * A store that cannot be opened with the configuration it was given (an unusable path, a corrupt or
 * foreign database file). The message is one line for a person: it names the setting and the fix.
 */
public final class StoreOpenException extends Exception {

    public StoreOpenException(String message) {
        super(message, null, false, false);
    }
}
