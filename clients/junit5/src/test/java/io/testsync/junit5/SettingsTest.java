package io.testsync.junit5;

import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.Map;
import java.util.function.UnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Where each setting comes from: environment over annotation, the in-process server over both. */
class SettingsTest {
    @TestSync(url = "ws://annotated:1", runId = "from-annotation", user = "ua", password = "pa", agent = "agent-a")
    static final class Annotated {
    }

    @TestSync
    static final class Bare {
    }

    @TestSync(runId = "r", user = "only-user")
    static final class UserWithoutPassword {
    }

    private static TestSync of(Class<?> c) {
        return c.getAnnotation(TestSync.class);
    }

    private static UnaryOperator<String> env(Map<String, String> vars) {
        return vars::get;
    }

    @Test
    void theAnnotationAppliesWhenNoVariableIsSet() {
        Settings s = Settings.resolve(of(Annotated.class), null, null, env(Map.of()));
        assertThat(s).isEqualTo(new Settings(URI.create("ws://annotated:1"), "from-annotation", "ua", "pa", "agent-a", "@TestSync(url)"));
        assertThat(s.options().agent()).isEqualTo("agent-a");
        assertThat(s.options().username()).isEqualTo("ua");
    }

    @Test
    void environmentVariablesWinOverTheAnnotation() {
        Settings s = Settings.resolve(of(Annotated.class), null, null, env(Map.of("TESTSYNC_URL", "ws://env:2",
                "TESTSYNC_RUN_ID", "from-env", "TESTSYNC_USER", "ue", "TESTSYNC_PASS", "pe", "TESTSYNC_AGENT", "agent-e")));
        assertThat(s).isEqualTo(new Settings(URI.create("ws://env:2"), "from-env", "ue", "pe", "agent-e", "TESTSYNC_URL"));
    }

    @Test
    void theInProcessServerWinsForUrlAndCredentials() {
        Settings.Local local = new Settings.Local(URI.create("ws://127.0.0.1:5"), "junit", "secret");
        Settings s = Settings.resolve(of(Annotated.class), local, "junit-x", env(Map.of("TESTSYNC_URL", "ws://env:2", "TESTSYNC_USER", "ue")));
        assertThat(s.url()).isEqualTo(URI.create("ws://127.0.0.1:5"));
        assertThat(s.user()).isEqualTo("junit");
        assertThat(s.password()).isEqualTo("secret");
        assertThat(s.runId()).isEqualTo("from-annotation");
        assertThat(Settings.resolve(of(Bare.class), local, "junit-x", env(Map.of())).runId()).isEqualTo("junit-x");
    }

    @Test
    void withNothingSetTheUrlIsTheDefaultAndCredentialsAreNone() {
        Settings s = Settings.resolve(of(Bare.class), null, null, env(Map.of("TESTSYNC_RUN_ID", "r")));
        assertThat(s.url()).isEqualTo(URI.create("ws://localhost:9105"));
        assertThat(s.user()).isNull();
        assertThat(s.agent()).isNull();
        assertThat(s.options().username()).isNull();
    }

    @Test
    void aMissingRunIdOrHalfTheCredentialsIsAnErrorSayingWhatToSet() {
        assertThatThrownBy(() -> Settings.resolve(of(Bare.class), null, null, env(Map.of())))
                .hasMessage("no run ID: set TESTSYNC_RUN_ID (the same for every agent of the run) or @TestSync(runId = \"...\")");
        assertThatThrownBy(() -> Settings.resolve(of(UserWithoutPassword.class), null, null, env(Map.of())))
                .hasMessage("a user is set (TESTSYNC_USER or @TestSync(user)) but no password: set TESTSYNC_PASS or @TestSync(password)");
        assertThatThrownBy(() -> Settings.resolve(of(Bare.class), null, null, env(Map.of("TESTSYNC_RUN_ID", "r", "TESTSYNC_PASS", "p"))))
                .hasMessageStartingWith("a password is set");
    }

    @Test
    void theDefaultRunIdFollowsTheRunIdRule() {
        assertThat(TestSyncExtension.defaultRunId(Annotated.class)).isEqualTo("junit-io.testsync.junit5.SettingsTest-Annotated");
    }
}
