package io.testsync.bench.limits;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class FanoutTest {

    @Test
    void theMessageCarriesThePublishedPayloadVerbatimInTestSyncsEnvelope() {
        String publish = "{\"command\":\"publish\",\"id\":12,\"content\":{\"topic\":\"fanout\",\"payload\":{\"a\": [1, \"}}\"]}}}";
        assertThat(Fanout.message(publish, 1764600000000L)).isEqualTo("{\"command\":\"message\",\"id\":0,\"content\":{\"topic\":\"fanout\","
                + "\"seq\":1,\"payload\":{\"a\": [1, \"}}\"]},\"published_at_ms\":1764600000000}}");
    }

    @Test
    void aFrameWithoutPayloadBecomesANullMessage() {
        assertThat(Fanout.message("hello", 5)).isEqualTo("{\"command\":\"message\",\"id\":0,\"content\":{\"topic\":\"fanout\","
                + "\"seq\":1,\"payload\":null,\"published_at_ms\":5}}");
    }

    @Test
    void thePublisherHearsAnAnswerOfTestSyncsShape() {
        assertThat(Fanout.ANSWER).isEqualTo("{\"command\":\"publish\",\"id\":0,\"content\":{\"topic\":\"fanout\",\"seq\":1}}");
    }
}
