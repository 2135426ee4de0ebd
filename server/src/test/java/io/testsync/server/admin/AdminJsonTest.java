package io.testsync.server.admin;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The exact bytes of SPEC §10's shapes, including every field that may be null. */
class AdminJsonTest {

    static String text(byte[] json) {
        return new String(json, StandardCharsets.UTF_8);
    }

    @Test
    void runsList() {
        assertThat(text(AdminJson.runs(List.of()))).isEqualTo("{\"runs\":[]}");
        assertThat(text(AdminJson.runs(List.of(new RunSummary("r\"1", 3, 1, 1700000000000L)))))
                .isEqualTo("{\"runs\":[{\"id\":\"r\\\"1\",\"agents\":3,\"checkpoints_waiting\":1,\"last_activity_ms\":1700000000000}]}");
    }

    @Test
    void detailWithEverySection() {
        var detail = new RunDetail("r1",
                List.of(new RunDetail.Agent("c1", "alice", "127.0.0.1:5000", "testsync.v1", 10, "node-1")),
                List.of(new RunDetail.Checkpoint("login", false, 3, 1, List.of("alice"), 99L, null),
                        new RunDetail.Checkpoint("ready", true, 1, 1, List.of(), null, 50L)),
                Map.of("logins", 4L, "accounts", -2L),
                Map.of("host", 1L),
                List.of(new RunDetail.Topic("setup", 2, 1)),
                List.of(new RunDetail.Lock("account", new RunDetail.Holder("c1", "alice"), List.of(new RunDetail.Holder("c2", "bob")), 7),
                        new RunDetail.Lock("free", null, List.of(), 3)),
                new RunDetail.Data(12, "application/json"));
        assertThat(text(AdminJson.detail(detail))).isEqualTo("{\"id\":\"r1\","
                + "\"agents\":[{\"connection\":\"c1\",\"agent\":\"alice\",\"remote\":\"127.0.0.1:5000\",\"protocol\":\"testsync.v1\",\"connected_at_ms\":10,\"node\":\"node-1\"}],"
                + "\"checkpoints\":[{\"identifier\":\"login\",\"state\":\"waiting\",\"target\":3,\"joined\":1,\"joined_agents\":[\"alice\"],\"deadline_ms\":99,\"start_at\":null},"
                + "{\"identifier\":\"ready\",\"state\":\"complete\",\"target\":1,\"joined\":1,\"joined_agents\":[],\"deadline_ms\":null,\"start_at\":50}],"
                + "\"counters\":{\"accounts\":-2,\"logins\":4},\"states\":{\"host\":1},"
                + "\"topics\":[{\"topic\":\"setup\",\"messages\":2,\"subscribers\":1}],"
                + "\"locks\":[{\"name\":\"account\",\"holder\":{\"connection\":\"c1\",\"agent\":\"alice\"},\"waiting\":[{\"connection\":\"c2\",\"agent\":\"bob\"}],\"fence\":7},"
                + "{\"name\":\"free\",\"holder\":null,\"waiting\":[],\"fence\":3}],"
                + "\"data\":{\"bytes\":12,\"content_type\":\"application/json\"}}");
    }

    @Test
    void detailWithoutData() {
        var detail = new RunDetail("r", List.of(), List.of(), Map.of(), Map.of(), List.of(), List.of(), null);
        assertThat(text(AdminJson.detail(detail)))
                .isEqualTo("{\"id\":\"r\",\"agents\":[],\"checkpoints\":[],\"counters\":{},\"states\":{},\"topics\":[],\"locks\":[],\"data\":null}");
    }

    @Test
    void changeEvent() {
        assertThat(text(AdminJson.changes(List.of(new RunSummary("a", 1, 0, 5)), List.of("b"))))
                .isEqualTo("{\"runs\":[{\"id\":\"a\",\"agents\":1,\"checkpoints_waiting\":0,\"last_activity_ms\":5}],\"removed\":[\"b\"]}");
    }
}
