package io.testsync.server.ws;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EnvelopeTest {

    @Test
    void keepsContentTextExactlyWhateverItsType() throws Exception {
        String[] values = {"{ \"a\" : [ 1 , 2 ] }", "[]", "\"s \\\" \\u00e9 é\"", "0", "-1.5E+10", "true", "false", "null", "{\"n\":{\"m\":{}}}"};
        for (String v : values) {
            assertThat(Envelope.parse("{\"command\":\"update_data\",\"content\":" + v + "}").content()).as(v).isEqualTo(v);
            assertThat(Envelope.parse("{ \"content\" :\t" + v + "\n, \"command\":\"update_data\" }").content()).as(v).isEqualTo(v);
            assertThat(Envelope.parse("{\"content\":" + v + "}".replace("}", ",\"command\":\"x\"}")).content()).as(v).isEqualTo(v);
        }
    }

    @Test
    void keepsIdAsSentAndIgnoresUnknownFields() throws Exception {
        Envelope e = Envelope.parse("{\"id\":1.50,\"extra\":{\"deep\":[1]},\"command\":\"read_data\"}");
        assertThat(e.command()).isEqualTo("read_data");
        assertThat(e.id()).isEqualTo("1.50");
        assertThat(e.content()).isNull();
        assertThat(Envelope.parse("{\"command\":\"c\",\"id\":\"a\\\"b\"}").id()).isEqualTo("\"a\\\"b\"");
        assertThat(Envelope.parse("{\"command\":\"c\",\"id\":null}").id()).isNull();
    }

    @Test
    void refusesWhatIsNotAnEnvelope() {
        assertThatThrownBy(() -> Envelope.parse("")).isInstanceOf(Envelope.Invalid.class);
        assertThatThrownBy(() -> Envelope.parse("{\"command\":\"a\"} {}")).hasMessage("a frame must hold exactly one JSON object");
        assertThatThrownBy(() -> Envelope.parse("{\"command\":\"a\",\"id\":{}}")).hasMessage("\"id\" must be a string or a number");
        assertThatThrownBy(() -> Envelope.parse("{\"command\":null}")).hasMessage("\"command\" must be a string");
        assertThatThrownBy(() -> Envelope.parse("{\"command\":\"a\",\"content\":" + "[".repeat(5000) + "]".repeat(5000) + "}"))
                .isInstanceOf(Envelope.Invalid.class).hasMessageContaining("not valid JSON");
        assertThatThrownBy(() -> Envelope.parse("{\"id\":4,\"command\":\"a\",\"content\":tru}"))
                .isInstanceOfSatisfying(Envelope.Invalid.class, i -> assertThat(i.id()).isEqualTo("4"));
    }
}
