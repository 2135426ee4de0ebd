package io.testsync.bench.scenario;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class FanoutRoundTest {

    private static String message(long seq) {
        return "{\"command\":\"message\",\"id\":3,\"content\":{\"topic\":\"fanout\",\"seq\":" + seq + ",\"payload\":"
                + FanoutRound.payload(seq) + ",\"published_at_ms\":1764600000000}}";
    }

    @Test
    void framesOfAPublishAreTheProtocolsOwn() {
        assertThat(FanoutRound.payload(12)).hasSize(64).startsWith("\"p12-x").endsWith("x\"");
        assertThat(FanoutRound.payload(12).getBytes(StandardCharsets.UTF_8)).hasSize(64);
        assertThat(FanoutFleet.publishFrame(12)).isEqualTo("{\"command\":\"publish\",\"id\":12,\"content\":{\"topic\":\"fanout\",\"payload\":"
                + FanoutRound.payload(12) + "}}");
        assertThat(FanoutFleet.published(12)).isEqualTo("{\"command\":\"publish\",\"id\":12,\"content\":{\"topic\":\"fanout\",\"seq\":12}}");
        assertThat(FanoutFleet.subscribeFrame(4)).isEqualTo("{\"command\":\"subscribe\",\"id\":4,\"content\":{\"topic\":\"fanout\"}}");
        assertThat(FanoutFleet.subscribed(4)).isEqualTo("{\"command\":\"subscribe\",\"id\":4,\"content\":{\"topic\":\"fanout\",\"subscribed\":true}}");
    }

    @Test
    void aRoundIsDoneWhenEverySubscriberAndThePublisherHeardOnce() {
        FanoutRound round = new FanoutRound(1, 2);
        round.received(0, message(1), 100);
        round.answered(true, "answer");
        assertThat(round.done()).isNotDone();
        round.received(1, message(1), 250);
        assertThat(round.done()).isDone();
        assertThat(round.problem()).isNull();
        assertThat(round.arrivals()).containsExactly(100, 250);
        assertThat(round.missing()).isZero();
    }

    @Test
    void anotherRoundsMessageIsNotThisOnes() {
        FanoutRound round = new FanoutRound(1, 1);
        assertThat(round.isMessage(message(1))).isTrue();
        assertThat(round.isMessage(message(10))).as("p1- is not p10-").isFalse();
        round.received(0, message(10), 100);
        assertThat(round.done()).isDone();
        assertThat(round.problem()).startsWith("subscriber 0 got {\"command\":\"message\"");
    }

    @Test
    void aDuplicateOrAWrongAnswerSpoilsTheRound() {
        FanoutRound twice = new FanoutRound(1, 2);
        twice.received(0, message(1), 100);
        twice.received(0, message(1), 120);
        assertThat(twice.problem()).startsWith("subscriber 0 got the message twice");
        assertThat(twice.arrivals()[0]).isEqualTo(100);

        FanoutRound refused = new FanoutRound(1, 1);
        refused.answered(false, "{\"command\":\"error\"}");
        assertThat(refused.done()).isDone();
        assertThat(refused.problem()).isEqualTo("the publisher got {\"command\":\"error\"}");
    }
}
