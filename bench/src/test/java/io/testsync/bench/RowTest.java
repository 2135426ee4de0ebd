package io.testsync.bench;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class RowTest {
    private static final Row.Spec SPEC = new Row.Spec("rtt", "c=256", "replies/s", "echo 256c 64B",
            Target.atLeast(Measure.Keys.RATIO, 0.9, ">= 0.90 x echo"));

    @Test
    void valuesAreMediansAndCountersAreSummed() {
        Row r = Row.of(SPEC, List.of(
                new Measure().versus(90, 100).add("errors", 1),
                new Measure().versus(50, 100).add("errors", 0),
                new Measure().versus(95, 100).add("errors", 2)));
        assertThat(r.value(Measure.Keys.FIGURE)).isEqualTo(90);
        assertThat(r.value(Measure.Keys.RATIO)).isEqualTo(0.9);
        assertThat(r.value("errors")).isEqualTo(3);
        assertThat(r.verdict()).isEqualTo("PASS");
    }

    @Test
    void missAndErrorAreTold() {
        assertThat(Row.of(SPEC, List.of(new Measure().versus(1, 2))).verdict()).isEqualTo("MISS");
        assertThat(Row.failed(SPEC, 1, "server exited").verdict()).isEqualTo("ERROR");
    }

    @Test
    void tableAndJsonCarryTheFigureLimitAndVerdict() {
        Row r = Row.of(SPEC, List.of(new Measure().versus(45_000, 50_000).put(Measure.Keys.P99, 2.5)));
        String table = Table.render(List.of(r));
        assertThat(table).contains("rtt c=256", "45,000 replies/s", "50,000 (echo 256c 64B)", "0.90", "2.50", "PASS");
        assertThat(Table.json(r)).isEqualTo("{\"scenario\":\"rtt\",\"params\":\"c=256\",\"runs\":1,\"unit\":\"replies/s\","
                + "\"limit_of\":\"echo 256c 64B\",\"figure\":45000,\"limit\":50000,\"ratio\":0.9,\"p99_ms\":2.5,"
                + "\"target\":\">= 0.90 x echo\",\"result\":\"PASS\"}");
    }
}
