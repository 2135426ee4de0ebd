package io.testsync.server.ws;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The fast path against Jackson, frame by frame: whatever the scanner accepts, Jackson accepts with
 * the same envelope; whatever it leaves, {@link Envelope#parse} answers exactly as Jackson alone.
 */
class EnvelopeScannerTest {

    @Test
    void plainFramesTakeTheFastPathWithJacksonsResult() throws Exception {
        List<String> plain = List.of(
                "{\"command\":\"get_connection_count\",\"id\":3}",
                "{\"command\":\"get_connection_count\"}",
                " {\n\t\"id\" : \"a\\\"b\\u00e9\" ,\r\"command\":\"c\" } ",
                "{\"command\":\"update_data\",\"content\":{\"users\":[1,-2.5e+3,0,true,false,null,\"x\\/y\"],\"deep\":{\"a\":[[],{}]}}}",
                "{\"id\":-0.0E-7,\"command\":\"wait_checkpoint\",\"content\":{\"identifier\":\"all-in\",\"target_count\":12}}",
                "{\"command\":\"c\",\"id\":null,\"extra\":[1,{\"k\":\"v\"}],\"extra\":2}",
                "{\"command\":\"c\",\"content\":\"just a string\"}",
                "{\"command\":\"\",\"content\":[]}",
                "{\"command\":\"c\",\"content\":" + "[".repeat(63) + "]".repeat(63) + "}");
        for (String frame : plain) {
            Envelope fast = EnvelopeScanner.scan(frame);
            assertThat(fast).as(frame).isNotNull().isEqualTo(Envelope.parseWithJackson(frame));
        }
    }

    @Test
    void framesOutsideThePlainShapeAreLeftToJackson() {
        List<String> left = List.of(
                "", " ", "[]", "\"x\"", "{", "}", "{\"command\":\"a\"} {}", "{\"command\":\"a\"}x",
                "\uFEFF{\"command\":\"a\"}", "{\"command\":\"a\"\f}", "{\"command\":\"a\",}", "{,\"command\":\"a\"}",
                "{\"command\":\"a\" \"id\":1}", "{\"command\":\"a\",\"id\":01}", "{\"command\":\"a\",\"id\":1.}",
                "{\"command\":\"a\",\"id\":.5}", "{\"command\":\"a\",\"id\":+1}", "{\"command\":\"a\",\"id\":-}",
                "{\"command\":\"a\",\"id\":1e}", "{\"command\":\"a\",\"id\":1e+}", "{\"command\":\"a\",\"id\":NaN}",
                "{\"command\":\"a\",\"id\":true}", "{\"command\":\"a\",\"id\":{}}", "{\"command\":\"a\",\"id\":[1]}",
                "{\"command\":null}", "{\"command\":1}", "{\"id\":1}", "{}", "{\"comm\\u0061nd\":\"a\"}",
                "{\"command\":\"a\\u0062\"}", "{\"command\":\"a\",\"command\":\"b\"}", "{\"command\":\"a\",\"id\":1,\"id\":2}",
                "{\"command\":\"a\",\"content\":1,\"content\":2}", "{\"command\":\"a\",\"content\":\"\\x\"}",
                "{\"command\":\"a\",\"content\":\"\\u12G4\"}", "{\"command\":\"a\",\"content\":\"tab\there\"}",
                "{\"command\":\"a\",\"content\":tru}", "{\"command\":\"a\",\"content\":truex}", "{\"command\":\"a\",\"content\":nul}",
                "{'command':'a'}", "{command:\"a\"}", "{\"command\":\"a\" /* c */}", "{\"command\":\"a\",\"content\":[1,]}",
                "{\"command\":\"a\",\"content\":" + "[".repeat(64) + "]".repeat(64) + "}",
                "{\"command\":\"a\",\"content\":" + "[".repeat(300) + "]".repeat(300) + "}",
                "{\"command\":\"a\",\"content\":{\"" + "n".repeat(EnvelopeScanner.MAX_NAME_CHARS + 1) + "\":1}}",
                "{\"command\":\"a\",\"id\":" + "9".repeat(EnvelopeScanner.MAX_NUMBER_CHARS + 1) + "}",
                "{\"command\":\"a\",\"content\":\"" + "x".repeat(EnvelopeScanner.MAX_FRAME_CHARS) + "\"}");
        for (String frame : left) {
            assertThat(EnvelopeScanner.scan(frame)).as(frame.length() > 200 ? frame.substring(0, 200) : frame).isNull();
            assertSameAsJackson(frame);
        }
    }

    /** Valid frames, then each mutated at random: insertions, deletions and replacements of JSON's own characters. */
    @Test
    void mutatedFramesGetJacksonsVerdictWhicheverPathReadsThem() {
        Random random = new Random(20261202);
        int fast = 0;
        int total = 0;
        for (int n = 0; n < 4_000; n++) {
            String frame = randomFrame(random);
            for (int m = 0; m < 6; m++) {
                String mutated = m == 0 ? frame : mutate(frame, random);
                if (EnvelopeScanner.scan(mutated) != null) fast++;
                assertSameAsJackson(mutated);
                total++;
            }
        }
        // the comparison means something only if both paths were taken often
        assertThat(fast).isBetween(total / 10, total - total / 10);
    }

    private static void assertSameAsJackson(String frame) {
        Object expected = outcome(() -> Envelope.parseWithJackson(frame));
        Object actual = outcome(() -> Envelope.parse(frame));
        assertThat(actual).as(frame.length() > 200 ? frame.substring(0, 200) : frame).isEqualTo(expected);
        Envelope fast = EnvelopeScanner.scan(frame);
        if (fast != null) assertThat(expected).as(frame).isEqualTo(fast);
    }

    private interface Parse {
        Envelope run() throws Envelope.Invalid;
    }

    /** The envelope, or the error's message and id: what a client would see. */
    private static Object outcome(Parse parse) {
        try {
            return parse.run();
        } catch (Envelope.Invalid e) {
            return List.of("invalid", String.valueOf(e.getMessage()), String.valueOf(e.id()));
        }
    }

    private static final String[] NAMES = {"command", "id", "content", "extra", "Command", "x"};
    private static final String ALPHABET = "{}[]:,\"\\ \t\n-+.eE0123456789truefalsn/u\u00e9\u0001";

    private static String randomFrame(Random random) {
        List<String> fields = new ArrayList<>();
        fields.add("\"command\":" + randomString(random));
        int more = random.nextInt(4);
        for (int k = 0; k < more; k++) {
            fields.add("\"" + NAMES[random.nextInt(NAMES.length)] + "\"" + space(random) + ":" + space(random) + randomValue(random, 0));
        }
        java.util.Collections.shuffle(fields, random);
        return space(random) + "{" + String.join("," + space(random), fields) + "}" + space(random);
    }

    private static String randomValue(Random random, int depth) {
        int kind = random.nextInt(depth > 4 ? 4 : 6);
        return switch (kind) {
            case 0 -> randomString(random);
            case 1 -> randomNumber(random);
            case 2 -> List.of("true", "false", "null").get(random.nextInt(3));
            case 3 -> randomNumber(random);
            case 4 -> {
                List<String> items = new ArrayList<>();
                for (int k = random.nextInt(4); k > 0; k--) items.add(randomValue(random, depth + 1));
                yield "[" + String.join(",", items) + "]";
            }
            default -> {
                List<String> members = new ArrayList<>();
                for (int k = random.nextInt(4); k > 0; k--) members.add(randomString(random) + ":" + randomValue(random, depth + 1));
                yield "{" + String.join("," + space(random), members) + "}";
            }
        };
    }

    private static String randomString(Random random) {
        String[] parts = {"a", "get_connection_count", "\\\"", "\\\\", "\\/", "\\n", "\\u00e9", "\u00e9", "\uD83D\uDE00", " ", "0"};
        StringBuilder b = new StringBuilder("\"");
        for (int k = random.nextInt(4); k > 0; k--) b.append(parts[random.nextInt(parts.length)]);
        return b.append('"').toString();
    }

    private static String randomNumber(Random random) {
        StringBuilder b = new StringBuilder();
        if (random.nextBoolean()) b.append('-');
        b.append(random.nextInt(3) == 0 ? "0" : Integer.toString(1 + random.nextInt(100_000)));
        if (random.nextBoolean()) b.append('.').append(random.nextInt(1000));
        if (random.nextInt(3) == 0) b.append(random.nextBoolean() ? 'e' : 'E').append(List.of("", "+", "-").get(random.nextInt(3))).append(random.nextInt(40));
        return b.toString();
    }

    private static String space(Random random) {
        return List.of("", "", "", " ", "\n", "\t ", "\r\n").get(random.nextInt(7));
    }

    private static String mutate(String frame, Random random) {
        StringBuilder b = new StringBuilder(frame);
        for (int k = 1 + random.nextInt(2); k > 0; k--) {
            int at = random.nextInt(b.length() + 1);
            char c = ALPHABET.charAt(random.nextInt(ALPHABET.length()));
            switch (random.nextInt(3)) {
                case 0 -> b.insert(at, c);
                case 1 -> {
                    if (at < b.length()) b.deleteCharAt(at);
                }
                default -> {
                    if (at < b.length()) b.setCharAt(at, c);
                }
            }
        }
        return b.toString();
    }
}
