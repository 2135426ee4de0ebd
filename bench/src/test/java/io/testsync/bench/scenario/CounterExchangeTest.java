package io.testsync.bench.scenario;

import io.testsync.bench.load.Exchange.Outcome;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class CounterExchangeTest {
    private final CounterExchange counter = new CounterExchange("bench", 4);

    @Test
    void commandsAddOneOrReadWithTheirIds() {
        assertThat(counter.frame(7)).isEqualTo("{\"command\":\"counter\",\"id\":7,\"content\":{\"name\":\"bench\",\"add\":1}}");
        assertThat(counter.readFrame(0)).isEqualTo("{\"command\":\"counter\",\"id\":0,\"content\":{\"name\":\"bench\",\"add\":0}}");
    }

    @Test
    void theReplyToThisIdWithAPositiveValueIsTheAnswer() {
        String reply = "{\"command\":\"counter\",\"id\":7,\"content\":{\"name\":\"bench\",\"value\":1234}}";
        assertThat(counter.value(reply, 7)).isEqualTo(1234);
        assertThat(counter.onText(reply, 0, 7)).isEqualTo(Outcome.DONE);
    }

    @Test
    void anyOtherFrameIsAWrongAnswer() {
        for (String wrong : new String[]{
                "{\"command\":\"counter\",\"id\":8,\"content\":{\"name\":\"bench\",\"value\":5}}", // another id
                "{\"command\":\"counter\",\"id\":7,\"content\":{\"name\":\"other\",\"value\":5}}", // another counter
                "{\"command\":\"counter\",\"id\":7,\"content\":{\"name\":\"bench\",\"value\":0}}", // an add of 1 cannot read 0
                "{\"command\":\"counter\",\"id\":7,\"content\":{\"name\":\"bench\",\"value\":-5}}",
                "{\"command\":\"counter\",\"id\":7,\"content\":{\"name\":\"bench\",\"value\":}}",
                "{\"command\":\"counter\",\"id\":7,\"content\":{\"name\":\"bench\",\"value\":5,\"x\":1}}",
                "{\"command\":\"error\",\"id\":7,\"content\":{\"code\":\"limit_reached\",\"command\":\"counter\",\"error\":\"x\"}}"}) {
            assertThat(counter.onText(wrong, 0, 7)).as(wrong).isEqualTo(Outcome.WRONG);
        }
        assertThat(counter.value("{\"command\":\"counter\",\"id\":0,\"content\":{\"name\":\"bench\",\"value\":0}}", 0)).isZero();
        assertThat(counter.totalSent()).isZero();
    }
}
