package io.testsync.server.http;

import io.testsync.server.config.Config;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import static io.testsync.server.http.Auth.Verdict.ALLOWED;
import static io.testsync.server.http.Auth.Verdict.LOOPBACK_ONLY;
import static io.testsync.server.http.Auth.Verdict.UNAUTHORIZED;
import static org.assertj.core.api.Assertions.assertThat;

/** The authentication decision on plain values; the socket paths are covered by the integration tests. */
class AuthTest {
    static String basic(String userPass) {
        return "Basic " + Base64.getEncoder().encodeToString(userPass.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void protectedModeServesOnlyLoopbackAddresses() {
        Auth open = new Auth(null);
        assertThat(open.enabled()).isFalse();
        assertThat(open.decide("127.0.0.1", null, null, null)).isEqualTo(ALLOWED);
        assertThat(open.decide("127.8.9.10", null, null, null)).isEqualTo(ALLOWED);
        assertThat(open.decide("0:0:0:0:0:0:0:1", null, null, null)).isEqualTo(ALLOWED);
        assertThat(open.decide("192.0.2.10", null, null, null)).isEqualTo(LOOPBACK_ONLY);
        assertThat(open.decide("10.1.2.3", basic("any:thing"), null, null)).isEqualTo(LOOPBACK_ONLY);
        assertThat(open.decide("fd00::2", null, null, null)).isEqualTo(LOOPBACK_ONLY);
        assertThat(open.decide("localhost", null, null, null)).as("names are not trusted").isEqualTo(LOOPBACK_ONLY);
        assertThat(open.decide(null, null, null, null)).isEqualTo(LOOPBACK_ONLY);
    }

    @Test
    void credentialsMustMatchExactlyFromAnyAddress() {
        Auth auth = new Auth(new Config.Credentials("user", "pa:ss"));
        assertThat(auth.decide("192.0.2.10", basic("user:pa:ss"), null, null)).isEqualTo(ALLOWED);
        assertThat(auth.decide("127.0.0.1", null, null, null)).as("loopback needs credentials too").isEqualTo(UNAUTHORIZED);
        assertThat(auth.decide("127.0.0.1", basic("user:pa:s"), null, null)).isEqualTo(UNAUTHORIZED);
        assertThat(auth.decide("127.0.0.1", basic("User:pa:ss"), null, null)).isEqualTo(UNAUTHORIZED);
        assertThat(auth.decide("127.0.0.1", "Bearer x", null, null)).isEqualTo(UNAUTHORIZED);
        assertThat(auth.decide("127.0.0.1", "Basic %%%", null, null)).isEqualTo(UNAUTHORIZED);
        assertThat(auth.decide("127.0.0.1", "basic " + basic("user:pa:ss").substring(6), null, null)).isEqualTo(ALLOWED);
        assertThat(auth.decide("127.0.0.1", null, "user", "pa:ss")).isEqualTo(ALLOWED);
        assertThat(auth.decide("127.0.0.1", null, "user", "wrong")).isEqualTo(UNAUTHORIZED);
        assertThat(auth.decide("127.0.0.1", basic("user:wrong"), "user", "pa:ss")).as("a header wins over the query").isEqualTo(UNAUTHORIZED);
    }

    @Test
    void redactsQueryPasswords() {
        assertThat(Redact.uri("/register/1?username=u&password=secret&x=1")).isEqualTo("/register/1?username=u&password=<redacted>&x=1");
        assertThat(Redact.uri("/register/1?PASSWORD=secret")).isEqualTo("/register/1?PASSWORD=<redacted>");
        assertThat(Redact.uri("/tests/1")).isEqualTo("/tests/1");
    }
}
