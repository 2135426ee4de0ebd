package io.testsync.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class SettingsTest {

    @Test
    void defaultsAreThoseOfTheOriginalScript() {
        Settings s = Settings.fromEnv(Map.of());
        assertThat(s.httpUrl()).isEqualTo("http://localhost:9104");
        assertThat(s.wsUrl()).isEqualTo("ws://localhost:9105");
        assertThat(s.user()).isEqualTo("exampleUserName");
        assertThat(s.pass()).isEqualTo("examplePassWord");
        assertThat(s.fixedTestId()).isFalse();
    }

    @Test
    void freshTestIdsAreValidAndDiffer() {
        String a = Settings.freshTestId(1_700_000_000_000L);
        String b = Settings.freshTestId(1_700_000_000_000L);
        assertThat(a).startsWith("e2e-1700000000000-").matches(Settings.TEST_ID);
        assertThat(a).isNotEqualTo(b);
    }

    @Test
    void aFixedTestIdIsUsedAsGiven() {
        Settings s = Settings.fromEnv(Map.of("TESTSYNC_TEST_ID", "run_42.a-b"));
        assertThat(s.testId()).isEqualTo("run_42.a-b");
        assertThat(s.fixedTestId()).isTrue();
    }

    @Test
    void aTestIdTheServerWouldRefuseIsReportedByName() {
        assertThatThrownBy(() -> Settings.fromEnv(Map.of("TESTSYNC_TEST_ID", "a/b")))
                .hasMessageContaining("TESTSYNC_TEST_ID").hasMessageContaining("A-Z a-z 0-9 . _ -");
        assertThatThrownBy(() -> Settings.fromEnv(Map.of("TESTSYNC_TEST_ID", "x".repeat(129))))
                .hasMessageContaining("TESTSYNC_TEST_ID");
    }

    @Test
    void trailingSlashesAreDroppedSoPathsJoinCleanly() {
        Settings s = Settings.fromEnv(Map.of("TESTSYNC_HTTP_URL", "https://sync.example:8443/",
                "TESTSYNC_WS_URL", "wss://sync.example:8443//"));
        assertThat(s.httpUrl()).isEqualTo("https://sync.example:8443");
        assertThat(s.wsUrl()).isEqualTo("wss://sync.example:8443");
    }

    @Test
    void aUrlWithTheWrongSchemeIsReportedByName() {
        assertThatThrownBy(() -> Settings.fromEnv(Map.of("TESTSYNC_WS_URL", "http://localhost:9105")))
                .hasMessageContaining("TESTSYNC_WS_URL").hasMessageContaining("ws or wss");
        assertThatThrownBy(() -> Settings.fromEnv(Map.of("TESTSYNC_HTTP_URL", "localhost:9104")))
                .hasMessageContaining("TESTSYNC_HTTP_URL");
    }
}
