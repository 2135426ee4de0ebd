package io.testsync.client;

import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What a user passes is checked before anything is sent, with a message that says the fix. */
class ArgumentsTest {

    @Test
    void registerUriIsBuiltFromTheBaseRunAndAgent() {
        assertThat(Endpoints.register(URI.create("ws://localhost:9105"), "run-42", "browser-7"))
                .isEqualTo(URI.create("ws://localhost:9105/register/run-42?agent=browser-7"));
        assertThat(Endpoints.register(URI.create("wss://sync.example.com/testsync/"), "42", null))
                .isEqualTo(URI.create("wss://sync.example.com/testsync/register/42"));
        assertThat(Endpoints.register(URI.create("http://h:1"), "a.b_c-d", "x:1")).isEqualTo(URI.create("ws://h:1/register/a.b_c-d?agent=x:1"));
    }

    @Test
    void badServerUrisAndRunIdsAreRefused() {
        assertThatThrownBy(() -> Endpoints.register(URI.create("ftp://h:1"), "r", null))
                .hasMessage("server URI ftp://h:1 must start with ws:// or wss:// (e.g. ws://localhost:9105)");
        assertThatThrownBy(() -> Endpoints.register(URI.create("ws://h:1/register/r"), "r", null))
                .hasMessageContaining("already names a /register path");
        assertThatThrownBy(() -> Endpoints.register(URI.create("ws://h:1?x=1"), "r", null)).hasMessageContaining("must not have a query");
        assertThatThrownBy(() -> Endpoints.register(URI.create("ws://h:1"), "run 1", null))
                .hasMessage("run ID \"run 1\" is not allowed: use 1-128 characters from A-Z a-z 0-9 . _ -");
        assertThatThrownBy(() -> Endpoints.register(URI.create("ws://h:1"), "x".repeat(129), null)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void optionsCheckTheirValuesAndHideThePassword() {
        assertThatThrownBy(() -> Options.credentials("u", "p").agent("two words"))
                .hasMessage("agent name \"two words\" is not allowed: use 1-128 characters from A-Z a-z 0-9 . _ - :");
        assertThatThrownBy(() -> Options.credentials("u:x", "p")).hasMessageContaining("must not contain ':'");
        assertThatThrownBy(() -> Options.none().requestTimeout(Duration.ZERO)).hasMessage("requestTimeout must be positive, got PT0S");
        Options o = Options.credentials("u", "hunter2").agent("a").connectTimeout(Duration.ofSeconds(3));
        assertThat(o.toString()).doesNotContain("hunter2").contains("password=<redacted>", "agent=a", "connectTimeout=PT3S");
        assertThat(o.username()).isEqualTo("u");
        assertThat(Options.none().username()).isNull();
    }

    @Test
    void durationsBecomeWholeMillisecondsRoundedUp() {
        assertThat(Await.millis(null, "t")).isNull();
        assertThat(Await.millis(Duration.ZERO, "t")).isZero();
        assertThat(Await.millis(Duration.ofNanos(1), "t")).isEqualTo(1);
        assertThat(Await.millis(Duration.ofMillis(1500), "t")).isEqualTo(1500);
        assertThat(Await.millis(Duration.ofMillis(1500).plusNanos(1), "t")).isEqualTo(1501);
        assertThatThrownBy(() -> Await.millis(Duration.ofMillis(-1), "lock timeout"))
                .hasMessage("lock timeout must not be negative, got PT-0.001S; Duration.ZERO waits forever");
    }
}
