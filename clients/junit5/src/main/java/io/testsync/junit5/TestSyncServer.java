package io.testsync.junit5;

import org.junit.jupiter.api.extension.ExtendWith;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Starts a TestSync server inside the test JVM, on a free loopback port with credentials of its own
 * and memory storage, for the tests of the annotated class, and stops it after them. The client that
 * {@link TestSync} injects points at it. Needs {@code io.testsync:testsync-server} as a test dependency.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ExtendWith(TestSyncExtension.class)
public @interface TestSyncServer {
    /** The server's {@code checkpoint.release_lead_ms}: how far ahead a release sets the common start; -1 keeps the server's 500. */
    long releaseLeadMs() default -1;
}
