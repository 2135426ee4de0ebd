package io.testsync.server.http;

import java.util.regex.Pattern;

/** Keeps credentials out of logs (SPEC §6): query-string passwords are replaced before a URI is logged. */
public final class Redact {
    private static final Pattern PASSWORD = Pattern.compile("(?i)([?&]password=)[^&#]*");

    private Redact() {}

    public static String uri(String uri) {
        return uri.indexOf('=') < 0 ? uri : PASSWORD.matcher(uri).replaceAll("$1<redacted>");
    }
}
