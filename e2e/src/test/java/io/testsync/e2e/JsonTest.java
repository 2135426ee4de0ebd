package io.testsync.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.TextNode;
import org.junit.jupiter.api.Test;

class JsonTest {

    @Test
    void numbersCompareByValueWhateverTypeTheParserChose() throws Exception {
        assertThat(Json.same(IntNode.valueOf(7), LongNode.valueOf(7))).isTrue();
        assertThat(Json.same(Json.parse("{\"count\":2}"), Json.parse("{ \"count\" : 2.0 }"))).isTrue();
        assertThat(Json.same(IntNode.valueOf(7), TextNode.valueOf("7"))).isFalse();
        assertThat(Json.same(Json.parse("{\"count\":2}"), Json.parse("{\"count\":2,\"x\":1}"))).isFalse();
    }

    @Test
    void fieldOrderIsTheWireOrder() throws Exception {
        assertThat(Json.fieldNames(Json.parse("{\"command\":\"x\",\"id\":1,\"content\":{}}")))
                .containsExactly("command", "id", "content");
    }

    @Test
    void duplicateKeysAndTrailingGarbageAreRejected() {
        assertThatThrownBy(() -> Json.parse("{\"id\":1,\"id\":2}")).isNotNull();
        assertThatThrownBy(() -> Json.parse("{\"id\":1} {}")).isNotNull();
    }
}
