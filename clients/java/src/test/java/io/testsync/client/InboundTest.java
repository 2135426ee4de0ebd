package io.testsync.client;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Reading frames keeps the exact text of values (data, payloads) and reads the fields replies need. */
class InboundTest {

    @Test
    void keepsTheExactTextOfEachContentField() {
        String frame = "{\"command\":\"read_data\",\"id\":7,\"content\":{\"exists\":true,\"content_type\":\"application/json\","
                + "\"data\":{\"room\": \"r-1\",  \"n\":[1, 2.50,\"\\u00e9\"]} }}";
        Inbound in = Inbound.parse(frame, 42);
        assertThat(in.command()).isEqualTo("read_data");
        assertThat(in.id()).isEqualTo(7);
        assertThat(in.receivedAtNanos()).isEqualTo(42);
        assertThat(in.content().raw("data")).isEqualTo("{\"room\": \"r-1\",  \"n\":[1, 2.50,\"\\u00e9\"]}");
        assertThat(Replies.dataText(in.content())).isEqualTo("{\"room\": \"r-1\",  \"n\":[1, 2.50,\"\\u00e9\"]}");
    }

    @Test
    void scalarValuesKeepTheirTextToo() {
        for (String value : new String[]{"\"a \\\" quote\"", "2.50", "-0", "1e3", "null", "true", "false", "[]", "12345678901234567890"}) {
            Inbound in = Inbound.parse("{\"command\":\"message\",\"id\":3,\"content\":{\"topic\":\"t\",\"seq\":1,\"payload\":"
                    + value + ",\"published_at_ms\":5}}", 0);
            assertThat(Replies.message(in.content())).isEqualTo(new Message("t", 1, value, 5));
        }
    }

    @Test
    void readsAFailedReleaseWithItsNames() {
        Inbound in = Inbound.parse("{\"command\":\"wait_checkpoint\",\"id\":2,\"content\":{\"identifier\":\"go\",\"finished\":false,"
                + "\"reason\":\"participant_lost\",\"joined\":1,\"target\":3,\"start_at\":1000,\"start_in_ms\":499,\"server_time_ms\":501,"
                + "\"lost\":[\"b\"],\"joined_agents\":[\"a\"],\"absent_agents\":[\"c\",\"d\"]}}", 10);
        Release r = Replies.release(in);
        assertThat(r).isEqualTo(new Release("go", false, "participant_lost", 1, 3, 1000, 499, 501,
                java.util.List.of("a"), java.util.List.of("c", "d"), java.util.List.of("b"), 10));
        assertThat(r.resumeAtNanos()).isEqualTo(10 + 499_000_000L);
        assertThat(new CheckpointFailedException(r).getMessage())
                .isEqualTo("checkpoint \"go\" failed: participant_lost, 1 of 3 joined; lost [b]; joined [a]; absent [c, d]");
    }

    @Test
    void readsTheWelcomeAndItsLimits() {
        Inbound in = Inbound.parse("{\"command\":\"welcome\",\"content\":{\"protocol\":\"testsync.v1\",\"run\":\"r\",\"agent\":\"a:1\","
                + "\"connection\":\"c-9\",\"server_time_ms\":17,\"limits\":{\"max_data_bytes\":10485760,\"max_topics_per_run\":1000}}}", 0);
        assertThat(in.id()).isEqualTo(-1);
        assertThat(Replies.welcome(in.content())).isEqualTo(new Welcome("testsync.v1", "r", "a:1", "c-9", 17,
                java.util.Map.of("max_data_bytes", 10485760L, "max_topics_per_run", 1000L)));
    }

    @Test
    void anErrorFrameBecomesItsCode() {
        Inbound in = Inbound.parse("{\"command\":\"error\",\"id\":4,\"content\":{\"code\":\"invalid_argument\",\"command\":\"counter\","
                + "\"error\":\"add must be an integer\"}}", 0);
        TestSyncException e = Replies.error(in.content());
        assertThat(e.code()).isEqualTo("invalid_argument");
        assertThat(e.command()).isEqualTo("counter");
        assertThat(e.getMessage()).isEqualTo("counter: add must be an integer");
    }

    @Test
    void aMissingFieldIsAProtocolErrorNamingIt() {
        Inbound in = Inbound.parse("{\"command\":\"counter\",\"id\":4,\"content\":{\"name\":\"n\",\"value\":\"7\"}}", 0);
        assertThatThrownBy(() -> in.content().number("value")).isInstanceOf(TestSyncException.class)
                .hasMessageContaining("field \"value\" should be an integer but is \"7\"")
                .extracting(e -> ((TestSyncException) e).code()).isEqualTo("protocol_error");
    }

    @Test
    void requireJsonAcceptsOneValueAndNamesWhatIsWrong() {
        Inbound.requireJson("{\"a\":[1,2]}", "data");
        Inbound.requireJson(" \"text\" ", "data");
        Inbound.requireJson("null", "data");
        assertThatThrownBy(() -> Inbound.requireJson("{\"a\":", "data")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("data is not valid JSON");
        assertThatThrownBy(() -> Inbound.requireJson("hello", "payload")).hasMessageStartingWith("payload is not valid JSON");
        assertThatThrownBy(() -> Inbound.requireJson("1 2", "data")).hasMessage("data holds more than one JSON value (extra text at offset 2): pass exactly one");
        assertThatThrownBy(() -> Inbound.requireJson("  ", "data")).hasMessage("data is empty: pass one JSON value, e.g. {\"k\":1}");
        assertThatThrownBy(() -> Inbound.requireJson(null, "data")).hasMessageStartingWith("data must not be null");
    }

    @Test
    void framesAreWrittenWithEscapedNamesAndVerbatimJson() {
        assertThat(Outbound.frame("publish", 5, Outbound.publish("t\"1", "{ \"x\" : 1 }")))
                .isEqualTo("{\"command\":\"publish\",\"id\":5,\"content\":{\"topic\":\"t\\\"1\",\"payload\":{ \"x\" : 1 }}}");
        assertThat(Outbound.updateData(9, "[1, 2]")).isEqualTo("{\"command\":\"update_data\",\"id\":9,\"content\":[1, 2]}");
        assertThat(Outbound.frame("read_data", 1, null)).isEqualTo("{\"command\":\"read_data\",\"id\":1}");
        assertThat(Outbound.frame("wait_checkpoint", 2, Outbound.checkpoint("go", 3, 0L, true)))
                .isEqualTo("{\"command\":\"wait_checkpoint\",\"id\":2,\"content\":{\"identifier\":\"go\",\"target_count\":3,"
                        + "\"timeout_ms\":0,\"fail_on_leave\":true}}");
        assertThat(Outbound.frame("lock", 3, Outbound.lock("l", null))).isEqualTo("{\"command\":\"lock\",\"id\":3,\"content\":{\"name\":\"l\"}}");
    }
}
