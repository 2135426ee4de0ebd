package io.testsync.junit5;

import org.junit.jupiter.api.extension.ExtendWith;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Connects one {@link io.testsync.client.TestSyncClient} for the annotated test class, injects it into
 * fields and parameters of that type (and {@link TestSyncRun} likewise), and closes it after the class.
 *
 * <p>Each setting comes from its environment variable when that is set, else from the attribute
 * here: {@code TESTSYNC_URL} / {@link #url()}, {@code TESTSYNC_RUN_ID} / {@link #runId()},
 * {@code TESTSYNC_USER} / {@link #user()}, {@code TESTSYNC_PASS} / {@link #password()},
 * {@code TESTSYNC_AGENT} / {@link #agent()}. With {@link TestSyncServer} on the class, the URL and
 * credentials are the in-process server's.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ExtendWith(TestSyncExtension.class)
public @interface TestSync {
    /** The server's base URI, e.g. {@code ws://sync-host:9105}; default {@code ws://localhost:9105}. */
    String url() default "";

    /** The run (test ID) every agent of this test run shares. Required unless {@link TestSyncServer} is used. */
    String runId() default "";

    /** The server's {@code sync_client.username}; none for a server in protected mode. */
    String user() default "";

    /** The server's {@code sync_client.password}. */
    String password() default "";

    /** This agent's name; default: the server names it {@code agent-<n>}. */
    String agent() default "";
}
