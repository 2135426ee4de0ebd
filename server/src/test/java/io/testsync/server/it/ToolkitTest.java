package io.testsync.server.it;

import io.testsync.server.config.Config;
import io.testsync.testkit.WsClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** SPEC §9.3 against the real server: every toolkit command, its exact frames, its bad input. */
class ToolkitTest {
    Harness h;
    String run;

    @BeforeEach
    void start() throws Exception {
        h = Harness.start(Harness.config().withToolkit(new Config.Toolkit(2, 4, 64, 2, 2, 2)));
        run = "tk-" + UUID.randomUUID();
    }

    @AfterEach
    void stop() {
        h.close();
    }

    static String error(Object id, String code, String command, String message) {
        return "{\"command\":\"error\",\"id\":" + id + ",\"content\":{\"code\":\"" + code + "\",\"command\":\"" + command
                + "\",\"error\":\"" + message + "\"}}";
    }

    @Test
    void signalEntryNumbersEntriesPerStateWithoutGapsAndAgentsKeepTheirNumber() throws Exception {
        try (WsClient a = h.v1(run, "a"); WsClient b = h.v1(run, "b")) {
            a.send("{\"command\":\"signal_entry\",\"content\":{\"state\":\"roles\"},\"id\":1}");
            assertThat(a.nextText()).isEqualTo("{\"command\":\"signal_entry\",\"id\":1,\"content\":{\"state\":\"roles\",\"seq\":1}}");
            a.close();
            b.send("{\"command\":\"signal_entry\",\"content\":{\"state\":\"roles\"},\"id\":\"x\"}");
            assertThat(b.nextText()).isEqualTo("{\"command\":\"signal_entry\",\"id\":\"x\",\"content\":{\"state\":\"roles\",\"seq\":2}}");
            b.send("{\"command\":\"signal_entry\",\"content\":{\"state\":\"other\"}}");
            assertThat(b.nextText()).isEqualTo("{\"command\":\"signal_entry\",\"content\":{\"state\":\"other\",\"seq\":1}}");
            b.send("{\"command\":\"signal_entry\",\"content\":{\"state\":\"third\"},\"id\":2}");
            assertThat(b.nextText()).isEqualTo(error(2, "limit_reached", "signal_entry",
                    "limit reached: limits.max_states_per_run is 2; nothing changed"));
        }
    }

    @Test
    void countersAddAtomicallyReadWithZeroAndStayWithinTwoToThe53() throws Exception {
        try (WsClient a = h.v1(run, "a")) {
            a.send("{\"command\":\"counter\",\"content\":{\"name\":\"users\"},\"id\":1}");
            assertThat(a.nextText()).isEqualTo("{\"command\":\"counter\",\"id\":1,\"content\":{\"name\":\"users\",\"value\":0}}");
            a.send("{\"command\":\"counter\",\"content\":{\"name\":\"users\",\"add\":5},\"id\":2}");
            assertThat(a.nextText()).isEqualTo("{\"command\":\"counter\",\"id\":2,\"content\":{\"name\":\"users\",\"value\":5}}");
            a.send("{\"command\":\"counter\",\"content\":{\"name\":\"users\",\"add\":-7},\"id\":3}");
            assertThat(a.nextText()).isEqualTo("{\"command\":\"counter\",\"id\":3,\"content\":{\"name\":\"users\",\"value\":-2}}");
            a.send("{\"command\":\"counter\",\"content\":{\"name\":\"users\",\"add\":9007199254740991},\"id\":4}");
            assertThat(a.nextText()).isEqualTo("{\"command\":\"counter\",\"id\":4,\"content\":{\"name\":\"users\",\"value\":9007199254740989}}");
            a.send("{\"command\":\"counter\",\"content\":{\"name\":\"users\",\"add\":3},\"id\":41}");
            assertThat(a.nextText()).isEqualTo(error(41, "invalid_argument", "counter",
                    "add would take counter users to 9007199254740992; values stay within ±9007199254740991 (2^53 - 1)"));
            a.send("{\"command\":\"counter\",\"content\":{\"name\":\"big\",\"add\":9007199254740992},\"id\":5}");
            assertThat(a.nextText()).startsWith("{\"command\":\"error\",\"id\":5,\"content\":{\"code\":\"invalid_argument\"");
            a.send("{\"command\":\"counter\",\"content\":{\"name\":\"users\",\"add\":1.5},\"id\":6}");
            assertThat(a.nextText()).isEqualTo(error(6, "invalid_argument", "counter", "add must be an integer (got 1.5)"));
            a.send("{\"command\":\"counter\",\"content\":{\"name\":\"users\"},\"id\":7}");
            assertThat(a.nextText()).isEqualTo("{\"command\":\"counter\",\"id\":7,\"content\":{\"name\":\"users\",\"value\":9007199254740989}}");
        }
    }

    @Test
    void aLateSubscriberGetsTheReplayThenLiveMessagesInOrder() throws Exception {
        try (WsClient pub = h.v1(run, "pub"); WsClient sub = h.v1(run, "sub")) {
            pub.send("{\"command\":\"publish\",\"content\":{\"topic\":\"addr\",\"payload\":{\"ip\": \"10.0.0.7\"}},\"id\":1}");
            assertThat(pub.nextText()).isEqualTo("{\"command\":\"publish\",\"id\":1,\"content\":{\"topic\":\"addr\",\"seq\":1}}");
            pub.send("{\"command\":\"publish\",\"content\":{\"topic\":\"addr\",\"payload\":null},\"id\":2}");
            assertThat(pub.nextText()).isEqualTo("{\"command\":\"publish\",\"id\":2,\"content\":{\"topic\":\"addr\",\"seq\":2}}");

            sub.send("{\"command\":\"subscribe\",\"content\":{\"topic\":\"addr\"},\"id\":\"s\"}");
            assertThat(sub.nextText()).isEqualTo("{\"command\":\"subscribe\",\"id\":\"s\",\"content\":{\"topic\":\"addr\",\"subscribed\":true}}");
            assertThat(message(sub.nextText())).isEqualTo("{\"command\":\"message\",\"id\":\"s\",\"content\":{\"topic\":\"addr\",\"seq\":1,\"payload\":{\"ip\": \"10.0.0.7\"},\"published_at_ms\":T}}");
            assertThat(message(sub.nextText())).isEqualTo("{\"command\":\"message\",\"id\":\"s\",\"content\":{\"topic\":\"addr\",\"seq\":2,\"payload\":null,\"published_at_ms\":T}}");
            pub.send("{\"command\":\"publish\",\"content\":{\"topic\":\"addr\",\"payload\":[3]},\"id\":3}");
            assertThat(pub.nextText()).endsWith("\"seq\":3}}");
            assertThat(message(sub.nextText())).isEqualTo("{\"command\":\"message\",\"id\":\"s\",\"content\":{\"topic\":\"addr\",\"seq\":3,\"payload\":[3],\"published_at_ms\":T}}");

            sub.send("{\"command\":\"subscribe\",\"content\":{\"topic\":\"addr\"},\"id\":\"again\"}");
            assertThat(sub.nextText()).isEqualTo(error("\"again\"", "invalid_argument", "subscribe",
                    "this connection already subscribes to topic addr; unsubscribe first"));
            sub.send("{\"command\":\"unsubscribe\",\"content\":{\"topic\":\"addr\"},\"id\":9}");
            assertThat(sub.nextText()).isEqualTo("{\"command\":\"unsubscribe\",\"id\":9,\"content\":{\"topic\":\"addr\",\"unsubscribed\":true}}");
            pub.send("{\"command\":\"publish\",\"content\":{\"topic\":\"addr\",\"payload\":4}}");
            assertThat(pub.nextText()).endsWith("\"seq\":4}}");
            sub.send("{\"command\":\"counter\",\"content\":{\"name\":\"n\"},\"id\":10}");
            assertThat(sub.nextText()).startsWith("{\"command\":\"counter\",\"id\":10"); // no message came first
            sub.send("{\"command\":\"unsubscribe\",\"content\":{\"topic\":\"addr\"},\"id\":11}");
            assertThat(sub.nextText()).isEqualTo(error(11, "invalid_argument", "unsubscribe", "this connection does not subscribe to topic addr"));
        }
    }

    @Test
    void fromSeqSkipsEarlierMessagesAndPayloadLimitsRefuseWithoutPublishing() throws Exception {
        try (WsClient a = h.v1(run, "a")) {
            for (int i = 1; i <= 4; i++) {
                a.send("{\"command\":\"publish\",\"content\":{\"topic\":\"t\",\"payload\":" + i + "}}");
                assertThat(a.nextText()).endsWith("\"seq\":" + i + "}}");
            }
            a.send("{\"command\":\"publish\",\"content\":{\"topic\":\"t\",\"payload\":5},\"id\":1}");
            assertThat(a.nextText()).isEqualTo(error(1, "limit_reached", "publish", "limit reached: limits.max_messages_per_topic is 4; nothing changed"));
            a.send("{\"command\":\"publish\",\"content\":{\"topic\":\"u\",\"payload\":\"" + "x".repeat(63) + "\"},\"id\":2}");
            assertThat(a.nextText()).isEqualTo(error(2, "payload_too_large", "publish",
                    "payload is 65 bytes; the limit is 64 bytes (limits.max_payload_bytes); nothing was published"));
            a.send("{\"command\":\"subscribe\",\"content\":{\"topic\":\"t\",\"from_seq\":4},\"id\":3}");
            assertThat(a.nextText()).endsWith("\"subscribed\":true}}");
            assertThat(message(a.nextText())).isEqualTo("{\"command\":\"message\",\"id\":3,\"content\":{\"topic\":\"t\",\"seq\":4,\"payload\":4,\"published_at_ms\":T}}");
            a.send("{\"command\":\"publish\",\"content\":{\"topic\":\"v\",\"payload\":1},\"id\":4}");
            assertThat(a.nextText()).endsWith("\"seq\":1}}");
            a.send("{\"command\":\"publish\",\"content\":{\"topic\":\"w\",\"payload\":1},\"id\":5}");
            assertThat(a.nextText()).isEqualTo(error(5, "limit_reached", "publish", "limit reached: limits.max_topics_per_run is 2; nothing changed"));
        }
    }

    @Test
    void locksAreGrantedInOrderWithGrowingFencesAndReleasedWhenTheHolderCloses() throws Exception {
        try (WsClient a = h.v1(run, "a"); WsClient b = h.v1(run, "b"); WsClient c = h.v1(run, "c")) {
            a.send("{\"command\":\"lock\",\"content\":{\"name\":\"acct\"},\"id\":1}");
            assertThat(a.nextText()).isEqualTo("{\"command\":\"lock\",\"id\":1,\"content\":{\"name\":\"acct\",\"acquired\":true,\"fence\":1}}");
            b.send("{\"command\":\"lock\",\"content\":{\"name\":\"acct\"},\"id\":2}");
            awaitWaiters(1); // b asks first: on different nodes (or loops) the two requests could arrive in either order
            c.send("{\"command\":\"lock\",\"content\":{\"name\":\"acct\",\"timeout_ms\":0},\"id\":3}");
            awaitWaiters(2);
            a.send("{\"command\":\"lock\",\"content\":{\"name\":\"acct\"},\"id\":4}");
            assertThat(a.nextText()).isEqualTo(error(4, "invalid_argument", "lock", "this connection already holds lock acct"));
            b.send("{\"command\":\"unlock\",\"content\":{\"name\":\"acct\"},\"id\":5}");
            assertThat(b.nextText()).isEqualTo(error(5, "invalid_argument", "unlock", "this connection does not hold lock acct"));
            a.send("{\"command\":\"unlock\",\"content\":{\"name\":\"acct\"},\"id\":6}");
            assertThat(a.nextText()).isEqualTo("{\"command\":\"unlock\",\"id\":6,\"content\":{\"name\":\"acct\",\"released\":true}}");
            assertThat(b.nextText()).isEqualTo("{\"command\":\"lock\",\"id\":2,\"content\":{\"name\":\"acct\",\"acquired\":true,\"fence\":2}}");
            b.close(); // session-bound: the holder's connection closing hands the lock on
            assertThat(c.nextText()).isEqualTo("{\"command\":\"lock\",\"id\":3,\"content\":{\"name\":\"acct\",\"acquired\":true,\"fence\":3}}");
            c.send("{\"command\":\"lock\",\"content\":{\"name\":\"l2\"},\"id\":7}");
            assertThat(c.nextText()).endsWith("\"acquired\":true,\"fence\":1}}");
            c.send("{\"command\":\"lock\",\"content\":{\"name\":\"l3\"},\"id\":8}");
            assertThat(c.nextText()).isEqualTo(error(8, "limit_reached", "lock", "limit reached: limits.max_locks_per_run is 2; nothing changed"));
        }
    }

    @Test
    void aLockWaitTimesOut() throws Exception {
        try (WsClient a = h.v1(run, "a"); WsClient b = h.v1(run, "b")) {
            a.send("{\"command\":\"lock\",\"content\":{\"name\":\"acct\"},\"id\":1}");
            assertThat(a.nextText()).endsWith("\"fence\":1}}");
            b.send("{\"command\":\"lock\",\"content\":{\"name\":\"acct\",\"timeout_ms\":50},\"id\":2}");
            assertThat(b.nextText()).isEqualTo("{\"command\":\"lock\",\"id\":2,\"content\":{\"name\":\"acct\",\"acquired\":false,\"reason\":\"timeout\"}}");
            a.send("{\"command\":\"unlock\",\"content\":{\"name\":\"acct\"},\"id\":3}");
            assertThat(a.nextText()).endsWith("\"released\":true}}");
            b.send("{\"command\":\"lock\",\"content\":{\"name\":\"acct\"},\"id\":4}");
            assertThat(b.nextText()).endsWith("\"acquired\":true,\"fence\":2}}");
        }
    }

    @Test
    void badContentIsAnInvalidArgumentNamingTheFieldAndChangesNothing() throws Exception {
        try (WsClient a = h.v1(run, "a")) {
            String[][] cases = {
                    {"signal_entry", "{}", "state must be a non-empty string of at most 256 characters (it is missing)"},
                    {"signal_entry", "{\"state\":\"\"}", "state must be a non-empty string of at most 256 characters"},
                    {"signal_entry", "{\"state\":7}", "state must be a string (got 7)"},
                    {"signal_entry", "[1]", "signal_entry needs content {\\\"state\\\": string}"},
                    {"counter", "{\"add\":1}", "name must be a non-empty string of at most 256 characters (it is missing)"},
                    {"counter", "{\"name\":\"n\",\"add\":\"1\"}", "add must be an integer (got \\\"1\\\")"},
                    {"publish", "{\"topic\":\"t\"}", "payload is missing: publish needs a \\\"payload\\\" (any JSON value; null is one)"},
                    {"publish", "{\"payload\":1}", "topic must be a non-empty string of at most 256 characters (it is missing)"},
                    {"subscribe", "{\"topic\":\"t\",\"from_seq\":0}", "from_seq must be an integer >= 1 (got 0)"},
                    {"subscribe", "{\"topic\":\"t\",\"from_seq\":1.0}", "from_seq must be an integer (got 1.0)"},
                    {"unsubscribe", "{\"topic\":\"" + "t".repeat(257) + "\"}", "topic must be a non-empty string of at most 256 characters, has 257"},
                    {"lock", "{\"name\":\"l\",\"timeout_ms\":-1}", "timeout_ms must be an integer >= 0 (0 waits forever; got -1)"},
                    {"lock", "{\"name\":[\"l\"]}", "name must be a string (got [\\\"l\\\"])"},
                    {"unlock", "{\"name\":null}", "name must be a non-empty string of at most 256 characters (it is missing)"},
                    {"wait_checkpoint", "{\"identifier\":\"c\",\"target_count\":2,\"fail_on_leave\":\"yes\"}", "fail_on_leave must be true or false (got \\\"yes\\\")"},
            };
            int id = 0;
            for (String[] c : cases) {
                a.send("{\"command\":\"" + c[0] + "\",\"content\":" + c[1] + ",\"id\":" + (++id) + "}");
                assertThat(a.nextText()).as(c[0] + " " + c[1]).isEqualTo(error(id, "invalid_argument", c[0], c[2]));
            }
            a.send("{\"command\":\"lock\",\"id\":99}");
            assertThat(a.nextText()).isEqualTo(error(99, "invalid_argument", "lock",
                    "lock needs content {\\\"name\\\": string, \\\"timeout_ms\\\": integer >= 0 (optional; 0 waits forever)}"));
            // nothing changed: the first entry of the state is still 1, and the connection is usable
            a.send("{\"command\":\"signal_entry\",\"content\":{\"state\":\"t\"},\"id\":100}");
            assertThat(a.nextText()).isEqualTo("{\"command\":\"signal_entry\",\"id\":100,\"content\":{\"state\":\"t\",\"seq\":1}}");
        }
    }

    @Test
    void aFailOnLeaveCheckpointReleasesTheOthersAtOnceNamingWhoLeft() throws Exception {
        try (WsClient a = h.v1(run, "alice"); WsClient b = h.v1(run, "bob"); WsClient c = h.v1(run, "carol"); WsClient d = h.v1(run, "dave")) {
            a.send("{\"command\":\"wait_checkpoint\",\"content\":{\"identifier\":\"call\",\"target_count\":4,\"fail_on_leave\":true},\"id\":1}");
            awaitJoined("call", 1); // the first join fixes fail_on_leave: on a cluster the three could reach Redis in any order
            b.send("{\"command\":\"wait_checkpoint\",\"content\":{\"identifier\":\"call\",\"target_count\":4},\"id\":2}");
            c.send("{\"command\":\"wait_checkpoint\",\"content\":{\"identifier\":\"call\",\"target_count\":4},\"id\":3}");
            awaitJoined("call", 3);
            b.close();
            String expected = "\"identifier\":\"call\",\"finished\":false,\"reason\":\"participant_lost\",\"joined\":2,\"target\":4,"
                    + "\"start_at\":S,\"start_in_ms\":I,\"server_time_ms\":T,\"lost\":[\"bob\"],"
                    + "\"joined_agents\":[\"alice\",\"carol\"],\"absent_agents\":[\"dave\"]}}";
            assertThat(release(a.nextText())).isEqualTo("{\"command\":\"wait_checkpoint\",\"id\":1,\"content\":{" + expected);
            assertThat(release(c.nextText())).isEqualTo("{\"command\":\"wait_checkpoint\",\"id\":3,\"content\":{" + expected);
            // removed: the identifier starts afresh
            d.send("{\"command\":\"wait_checkpoint\",\"content\":{\"identifier\":\"call\",\"target_count\":1},\"id\":4}");
            assertThat(d.nextText()).contains("\"finished\":true,\"reason\":\"complete\",\"joined\":1,\"target\":1,");
        }
    }

    @Test
    void aTimedOutReleaseNamesJoinedAndAbsentAgents() throws Exception {
        try (WsClient a = h.v1(run, "alice"); WsClient b = h.agent(run)) {
            a.send("{\"command\":\"wait_checkpoint\",\"content\":{\"identifier\":\"x\",\"target_count\":2,\"timeout_ms\":20},\"id\":1}");
            String frame = a.nextText();
            Matcher m = Pattern.compile(".*\"absent_agents\":\\[\"(agent-\\d+)\"\\]\\}\\}").matcher(frame);
            assertThat(m.matches()).as(frame).isTrue();
            assertThat(release(frame)).isEqualTo("{\"command\":\"wait_checkpoint\",\"id\":1,\"content\":{\"identifier\":\"x\",\"finished\":false,"
                    + "\"reason\":\"timeout\",\"joined\":1,\"target\":2,\"start_at\":S,\"start_in_ms\":I,\"server_time_ms\":T,"
                    + "\"joined_agents\":[\"alice\"],\"absent_agents\":[\"" + m.group(1) + "\"]}}");
        }
    }

    private static String message(String frame) {
        return frame.replaceAll("\"published_at_ms\":\\d+", "\"published_at_ms\":T");
    }

    private static String release(String frame) {
        return frame.replaceAll("\"start_at\":\\d+", "\"start_at\":S").replaceAll("\"start_in_ms\":\\d+", "\"start_in_ms\":I")
                .replaceAll("\"server_time_ms\":\\d+", "\"server_time_ms\":T");
    }

    private void awaitWaiters(int n) {
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10))
                .until(() -> h.lockWaiters() == n);
    }

    private void awaitJoined(String identifier, int n) {
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10))
                .until(() -> h.joined(run, identifier) == n);
    }
}
