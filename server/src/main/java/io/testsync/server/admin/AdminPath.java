package io.testsync.server.admin;

import io.testsync.server.runs.TestIds;
import io.vertx.core.http.HttpMethod;

import java.io.ByteArrayOutputStream;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.ByteBuffer;

/**
 * A path below {@code /api/} taken apart: which route, and its decoded testID and checkpoint or
 * connection. Segments are percent-decoded one by one, so a checkpoint identifier may hold any
 * character, {@code /} included (as {@code %2F}).
 *
 * @param problem the 400 message when the route is known but a segment is malformed, else null
 */
record AdminPath(Kind kind, String testId, String name, String problem) {

    /** The routes of the management API, with the methods each allows. */
    enum Kind {
        RUNS("GET"), RUN("GET, DELETE"), RELEASE("POST"), AGENT("DELETE"), EVENTS("GET"), NONE("");

        private final String allow;

        Kind(String allow) {
            this.allow = allow;
        }

        String allow() {
            return allow;
        }

        boolean allows(HttpMethod method) {
            for (String m : allow.split(", ")) if (m.equals(method.name())) return true;
            return false;
        }
    }

    /** A connection id as the server makes them: 1–128 characters from {@code A–Z a–z 0–9 . _ - :}. */
    static boolean isConnectionId(String s) {
        if (s.isEmpty() || s.length() > 128) return false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '_'
                    || c == '-' || c == ':')) return false;
        }
        return true;
    }

    static AdminPath parse(String path) {
        if (path.equals("/api/v1/runs")) return new AdminPath(Kind.RUNS, null, null, null);
        if (path.equals("/api/v1/events")) return new AdminPath(Kind.EVENTS, null, null, null);
        if (!path.startsWith("/api/v1/runs/")) return new AdminPath(Kind.NONE, null, null, null);
        String[] parts = path.substring("/api/v1/runs/".length()).split("/", -1);
        Kind kind;
        if (parts.length == 1) kind = Kind.RUN;
        else if (parts.length == 4 && parts[1].equals("checkpoints") && parts[3].equals("release")) kind = Kind.RELEASE;
        else if (parts.length == 3 && parts[1].equals("agents")) kind = Kind.AGENT;
        else return new AdminPath(Kind.NONE, null, null, null);
        String testId = decode(parts[0]);
        String name = kind == Kind.RUN ? null : decode(parts[2]);
        String problem = null;
        if (testId == null || !TestIds.isValid(testId)) {
            problem = testId == null ? "the test ID is not valid percent-encoded UTF-8" : TestIds.problem(testId);
        } else if (kind == Kind.RELEASE && (name == null || name.isEmpty())) {
            problem = "the checkpoint identifier is empty or not valid percent-encoded UTF-8; percent-encode it in the path";
        } else if (kind == Kind.AGENT && (name == null || !isConnectionId(name))) {
            problem = "'" + (name == null ? parts[2] : name) + "' is not a connection id (1-128 characters from A-Z a-z 0-9 . _ - :);"
                    + " GET /api/v1/runs/" + testId + " lists the run's connections";
        }
        return new AdminPath(kind, testId, name, problem);
    }

    /** Percent-decodes a path segment ({@code +} stays a plus); null when malformed. */
    static String decode(String segment) {
        if (segment.indexOf('%') < 0) return segment;
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(segment.length());
        for (int i = 0; i < segment.length(); i++) {
            char c = segment.charAt(i);
            if (c != '%') {
                bytes.writeBytes(String.valueOf(c).getBytes(StandardCharsets.UTF_8));
                continue;
            }
            if (i + 2 >= segment.length()) return null;
            int hi = Character.digit(segment.charAt(i + 1), 16);
            int lo = Character.digit(segment.charAt(i + 2), 16);
            if (hi < 0 || lo < 0) return null;
            bytes.write(hi * 16 + lo);
            i += 2;
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes.toByteArray())).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }
}
