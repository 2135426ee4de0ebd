package io.testsync.testkit;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** The frame builder writes exactly the header it is told, and RawHttp reads a response head as sent. */
class WireFrameTest {

    @Test
    void anUnmaskedTextFrameIsHeaderThenPayload() {
        assertThat(WireFrame.text("hi").unmasked().bytes()).containsExactly(0x81, 0x02, 'h', 'i');
    }

    @Test
    void lengthsUseTheirThreeFormsAndCanBeForcedLongOrDeclaredFalsely() {
        assertThat(WireFrame.of(WireFrame.BINARY, new byte[126]).unmasked().bytes()).startsWith(0x82, 126, 0x00, 126).hasSize(4 + 126);
        assertThat(WireFrame.of(WireFrame.BINARY, new byte[65536]).unmasked().bytes()).startsWith(0x82, 127, 0, 0, 0, 0, 0, 1, 0, 0);
        assertThat(WireFrame.text("a").unmasked().nonMinimalLength().bytes()).containsExactly(0x81, 126, 0, 1, 'a');
        assertThat(WireFrame.of(WireFrame.TEXT, new byte[0]).unmasked().declaredLength(1L << 62).bytes())
                .containsExactly(0x81, 127, 0x40, 0, 0, 0, 0, 0, 0, 0);
    }

    @Test
    void finRsvAndOpcodeGoIntoTheFirstByte() {
        assertThat(WireFrame.of(WireFrame.CONTINUATION, new byte[0]).fin(false).rsv(4).unmasked().bytes()).containsExactly(0x40, 0x00);
        assertThat(WireFrame.of(0xB, new byte[0]).unmasked().bytes()).containsExactly(0x8B, 0x00);
    }

    @Test
    void aMaskedFrameCarriesItsKeyAndThePayloadXoredWithIt() {
        byte[] f = WireFrame.text("abcde").bytes();
        assertThat(f).hasSize(2 + 4 + 5);
        assertThat(f[1] & 0xff).isEqualTo(0x80 | 5);
        byte[] unmasked = new byte[5];
        for (int i = 0; i < 5; i++) unmasked[i] = (byte) (f[6 + i] ^ f[2 + (i & 3)]);
        assertThat(new String(unmasked, StandardCharsets.UTF_8)).isEqualTo("abcde");
    }

    @Test
    void rawHttpReadsStatusHeadersAndTheAnnouncedBodyOnly() throws Exception {
        byte[] wire = "HTTP/1.1 404 Not Found\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}rest".getBytes(StandardCharsets.ISO_8859_1);
        ByteArrayInputStream in = new ByteArrayInputStream(wire);
        RawHttp.Response r = RawHttp.readResponse(in);
        assertThat(r.status()).isEqualTo(404);
        assertThat(r.header("content-TYPE")).isEqualTo("application/json");
        assertThat(r.body()).isEqualTo("{}");
        assertThat(new String(in.readAllBytes(), StandardCharsets.ISO_8859_1)).isEqualTo("rest");
    }

    @Test
    void bytesAndCredentialsAreWhatTheySay() {
        assertThat(Bytes.concat(Bytes.of(0xC3), Bytes.repeat(Bytes.of(1, 2), 2))).containsExactly(0xC3, 1, 2, 1, 2);
        assertThat(new Credentials("Aladdin", "open sesame").authorization()).isEqualTo("Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==");
        int[] ports = Ports.free(3);
        assertThat(ports).hasSize(3).doesNotHaveDuplicates().doesNotContain(0);
    }
}
