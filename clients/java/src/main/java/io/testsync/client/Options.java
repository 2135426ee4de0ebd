package io.testsync.client;

import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * How a {@link TestSyncClient} connects: credentials, agent name, timeouts. Immutable; every
 * {@code with}-style method returns a copy, so one base can serve many agents:
 * {@code Options.credentials("user", "pass").agent("browser-7")}.
 */
public final class Options {
    private static final Pattern AGENT = Pattern.compile("[A-Za-z0-9._:-]{1,128}");
    private static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration DEFAULT_SILENCE_TIMEOUT = Duration.ofSeconds(40);

    private final String username;
    private final String password;
    private final String agent;
    private final Duration connectTimeout;
    private final Duration requestTimeout;
    private final Duration silenceTimeout;
    private final HttpClient httpClient;

    private Options(String username, String password, String agent, Duration connectTimeout, Duration requestTimeout,
                    Duration silenceTimeout, HttpClient httpClient) {
        this.username = username;
        this.password = password;
        this.agent = agent;
        this.connectTimeout = connectTimeout;
        this.requestTimeout = requestTimeout;
        this.silenceTimeout = silenceTimeout;
        this.httpClient = httpClient;
    }

    /** Basic-auth credentials: the server's {@code sync_client.username} / {@code .password}. */
    public static Options credentials(String username, String password) {
        Objects.requireNonNull(username, "username must not be null");
        Objects.requireNonNull(password, "password must not be null");
        if (username.indexOf(':') >= 0) {
            throw new IllegalArgumentException("username must not contain ':' (HTTP Basic authentication cannot carry it)");
        }
        return new Options(username, password, null, DEFAULT_CONNECT_TIMEOUT, DEFAULT_REQUEST_TIMEOUT, DEFAULT_SILENCE_TIMEOUT, null);
    }

    /** No credentials: for a server in protected mode (none configured; loopback clients only). */
    public static Options none() {
        return new Options(null, null, null, DEFAULT_CONNECT_TIMEOUT, DEFAULT_REQUEST_TIMEOUT, DEFAULT_SILENCE_TIMEOUT, null);
    }

    /**
     * This agent's name, shown in logs, failed releases and the live page: 1–128 characters from
     * {@code A–Z a–z 0–9 . _ - :}. Without it the server names the connection {@code agent-<n>}.
     */
    public Options agent(String name) {
        Objects.requireNonNull(name, "agent name must not be null");
        if (!AGENT.matcher(name).matches()) {
            throw new IllegalArgumentException("agent name \"" + name + "\" is not allowed: use 1-128 characters from"
                    + " A-Z a-z 0-9 . _ - :");
        }
        return new Options(username, password, name, connectTimeout, requestTimeout, silenceTimeout, httpClient);
    }

    /** How long {@code connect} and {@code reconnect} wait for the handshake and the welcome frame (default 10 s). */
    public Options connectTimeout(Duration timeout) {
        return new Options(username, password, agent, positive(timeout, "connectTimeout"), requestTimeout, silenceTimeout, httpClient);
    }

    /**
     * How long a command that the server answers at once (data, counters, publish, …) may take before the
     * call fails with {@link TestSyncException#TIMEOUT} (default 30 s). Checkpoints and locks wait as long
     * as their own timeout says instead.
     */
    public Options requestTimeout(Duration timeout) {
        return new Options(username, password, agent, connectTimeout, positive(timeout, "requestTimeout"), silenceTimeout, httpClient);
    }

    /**
     * How long a connection may stay silent (no frame, not even the server's ping every 10 s) before
     * it counts as lost, for a peer that vanished without TCP noticing (default 40 s). Keep it above
     * the server's ping interval.
     */
    public Options silenceTimeout(Duration timeout) {
        return new Options(username, password, agent, connectTimeout, requestTimeout, positive(timeout, "silenceTimeout"), httpClient);
    }

    /**
     * The JDK client that opens the WebSocket. By default all TestSync clients of a JVM share one, so a
     * thousand agents in one process need one selector thread, not a thousand.
     */
    public Options httpClient(HttpClient client) {
        return new Options(username, password, agent, connectTimeout, requestTimeout, silenceTimeout,
                Objects.requireNonNull(client, "httpClient must not be null"));
    }

    private static Duration positive(Duration d, String what) {
        Objects.requireNonNull(d, what + " must not be null");
        if (d.isNegative() || d.isZero()) throw new IllegalArgumentException(what + " must be positive, got " + d);
        return d;
    }

    /** The user name, or null without credentials. */
    public String username() {
        return username;
    }

    /** The password, or null without credentials. */
    public String password() {
        return password;
    }

    /** The agent name, or null to let the server choose one. */
    public String agent() {
        return agent;
    }

    public Duration connectTimeout() {
        return connectTimeout;
    }

    public Duration requestTimeout() {
        return requestTimeout;
    }

    public Duration silenceTimeout() {
        return silenceTimeout;
    }

    /** The JDK client given with {@link #httpClient(HttpClient)}, or null for the shared default. */
    public HttpClient httpClient() {
        return httpClient;
    }

    @Override
    public String toString() {
        return "Options[username=" + username + ", password=" + (password == null ? "null" : "<redacted>")
                + ", agent=" + agent + ", connectTimeout=" + connectTimeout + ", requestTimeout=" + requestTimeout
                + ", silenceTimeout=" + silenceTimeout + "]";
    }
}
