package io.testsync.server.ws;

/**
 * The fast path of {@link Envelope#parse}: one pass over a frame of the plain shape agents send
 * (strict JSON; field names without escapes, none twice; a {@code command} string without escapes),
 * which checks the whole frame as JSON while it finds the three fields. Anything else, valid or not,
 * is left to Jackson ({@link #scan} returns null), which then decides with its own messages: so this
 * path only ever accepts what Jackson accepts, with the same result, and never words an error.
 * It saves Jackson's per-frame set-up, the largest cost of ours in a small command's round trip.
 */
final class EnvelopeScanner {
    /** Beyond these, Jackson (whose limits are far higher) decides: the fast path never has to know its limits. */
    static final int MAX_FRAME_CHARS = 1 << 20;
    static final int MAX_DEPTH = 64;
    static final int MAX_NAME_CHARS = 1_000;
    static final int MAX_NUMBER_CHARS = 100;

    /** Thrown to leave the scan: the frame is not of the plain shape (or not JSON); stackless, it costs little. */
    private static final class NotPlain extends Exception {
        private static final NotPlain INSTANCE = new NotPlain();

        private NotPlain() {
            super(null, null, false, false);
        }
    }

    private final String s;
    private int i;

    private EnvelopeScanner(String frame) {
        this.s = frame;
    }

    /** The envelope of a plain frame; null when Jackson must read it. */
    static Envelope scan(String frame) {
        if (frame.length() > MAX_FRAME_CHARS) return null;
        try {
            return new EnvelopeScanner(frame).envelope();
        } catch (NotPlain notPlain) {
            return null;
        }
    }

    private Envelope envelope() throws NotPlain {
        String command = null;
        String id = null;
        String content = null;
        boolean idSeen = false;
        whitespace();
        expect('{');
        whitespace();
        if (peek() != '}') {
            while (true) {
                String name = name();
                whitespace();
                expect(':');
                whitespace();
                int start = i;
                char first = peek();
                value(1);
                switch (name) {
                    case "command" -> {
                        if (command != null || first != '"') throw NotPlain.INSTANCE;
                        String text = s.substring(start + 1, i - 1);
                        if (text.indexOf('\\') >= 0) throw NotPlain.INSTANCE;
                        command = text;
                    }
                    case "id" -> {
                        if (idSeen) throw NotPlain.INSTANCE;
                        idSeen = true;
                        if (first == 'n') {
                            id = null;
                        } else if (first == '"' || first == '-' || (first >= '0' && first <= '9')) {
                            id = s.substring(start, i);
                        } else {
                            throw NotPlain.INSTANCE; // Jackson words the error
                        }
                    }
                    case "content" -> {
                        if (content != null) throw NotPlain.INSTANCE;
                        content = s.substring(start, i);
                    }
                    default -> {
                        // ignored, as the original server did
                    }
                }
                whitespace();
                char next = next();
                if (next == '}') break;
                if (next != ',') throw NotPlain.INSTANCE;
                whitespace();
            }
        } else {
            i++;
        }
        whitespace();
        if (i != s.length() || command == null) throw NotPlain.INSTANCE;
        return new Envelope(command, id, content);
    }

    /** A field name: a string without escapes, at most {@link #MAX_NAME_CHARS} long. */
    private String name() throws NotPlain {
        expect('"');
        int start = i;
        while (i < s.length() && i - start <= MAX_NAME_CHARS) {
            char c = s.charAt(i++);
            if (c == '"') return s.substring(start, i - 1);
            if (c == '\\' || c < 0x20) throw NotPlain.INSTANCE;
        }
        throw NotPlain.INSTANCE;
    }

    private void value(int depth) throws NotPlain {
        char c = peek();
        switch (c) {
            case '{' -> object(depth + 1);
            case '[' -> array(depth + 1);
            case '"' -> string(Integer.MAX_VALUE);
            case 't' -> literal("true");
            case 'f' -> literal("false");
            case 'n' -> literal("null");
            default -> number();
        }
    }

    private void object(int depth) throws NotPlain {
        if (depth > MAX_DEPTH) throw NotPlain.INSTANCE;
        i++;
        whitespace();
        if (peek() == '}') {
            i++;
            return;
        }
        while (true) {
            string(MAX_NAME_CHARS); // a name: Jackson limits their length
            whitespace();
            expect(':');
            whitespace();
            value(depth);
            whitespace();
            char next = next();
            if (next == '}') return;
            if (next != ',') throw NotPlain.INSTANCE;
            whitespace();
        }
    }

    private void array(int depth) throws NotPlain {
        if (depth > MAX_DEPTH) throw NotPlain.INSTANCE;
        i++;
        whitespace();
        if (peek() == ']') {
            i++;
            return;
        }
        while (true) {
            value(depth);
            whitespace();
            char next = next();
            if (next == ']') return;
            if (next != ',') throw NotPlain.INSTANCE;
            whitespace();
        }
    }

    /** A JSON string of at most {@code maxChars} as written: no raw control characters, only JSON's escapes. */
    private void string(int maxChars) throws NotPlain {
        expect('"');
        int start = i;
        while (i < s.length() && i - start <= maxChars) {
            char c = s.charAt(i++);
            if (c == '"') return;
            if (c < 0x20) throw NotPlain.INSTANCE;
            if (c == '\\') {
                char e = next();
                switch (e) {
                    case '"', '\\', '/', 'b', 'f', 'n', 'r', 't' -> {
                    }
                    case 'u' -> {
                        for (int k = 0; k < 4; k++) {
                            if (Character.digit(next(), 16) < 0) throw NotPlain.INSTANCE;
                        }
                    }
                    default -> throw NotPlain.INSTANCE;
                }
            }
        }
        throw NotPlain.INSTANCE;
    }

    /** JSON's number: {@code -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?}. */
    private void number() throws NotPlain {
        int start = i;
        if (peek() == '-') i++;
        char c = next();
        if (c == '0') {
            // no leading zeros: what follows a 0 must not be a digit
        } else if (c >= '1' && c <= '9') {
            digits(false);
        } else {
            throw NotPlain.INSTANCE;
        }
        if (i < s.length() && s.charAt(i) == '.') {
            i++;
            digits(true);
        }
        if (i < s.length() && (s.charAt(i) == 'e' || s.charAt(i) == 'E')) {
            i++;
            if (i < s.length() && (s.charAt(i) == '+' || s.charAt(i) == '-')) i++;
            digits(true);
        }
        if (i - start > MAX_NUMBER_CHARS || (i < s.length() && isDigit(s.charAt(i)))) throw NotPlain.INSTANCE;
    }

    private void digits(boolean atLeastOne) throws NotPlain {
        int start = i;
        while (i < s.length() && isDigit(s.charAt(i))) i++;
        if (atLeastOne && i == start) throw NotPlain.INSTANCE;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private void literal(String word) throws NotPlain {
        if (!s.startsWith(word, i)) throw NotPlain.INSTANCE;
        i += word.length();
    }

    /** JSON's whitespace, and only it. */
    private void whitespace() {
        while (i < s.length()) {
            char c = s.charAt(i);
            if (c != ' ' && c != '\n' && c != '\r' && c != '\t') return;
            i++;
        }
    }

    private void expect(char c) throws NotPlain {
        if (next() != c) throw NotPlain.INSTANCE;
    }

    private char peek() throws NotPlain {
        if (i >= s.length()) throw NotPlain.INSTANCE;
        return s.charAt(i);
    }

    private char next() throws NotPlain {
        if (i >= s.length()) throw NotPlain.INSTANCE;
        return s.charAt(i++);
    }
}
