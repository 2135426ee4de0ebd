package io.testsync.faults;

import io.testsync.testkit.ServerJar;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpClient;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * SPEC §9.3, session-bound locks: the holder of a lock crashes (its TCP connection is reset, no
 * close frame) while 50 agents wait in line. The server must notice the dead connection, and the
 * lock must then pass down the line: every waiter granted exactly once, in the order it asked,
 * with a fencing token larger than any before it; each waiter unlocks after its grant.
 */
class LockHolderDropFaultTest {
    static final int WAITERS = 50;
    static final String RUN = "lock-drop";
    static final String LOCK = "shared-account";
    static final Pattern GRANT = Pattern.compile(
            "\\{\"command\":\"lock\",\"id\":\"w-(\\d+)\",\"content\":\\{\"name\":\"" + LOCK + "\",\"acquired\":true,\"fence\":(\\d+)}}");

    final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @Test
    void aCrashedHoldersLockPassesDownTheLineOnceEachInOrderWithGrowingFences(@TempDir Path dir) throws Exception {
        List<StampedAgent> waiters = new ArrayList<>();
        try (ServerJar server = FaultServer.start(dir, Map.of());
             DroppingAgent holder = DroppingAgent.connect(server, RUN, "holder")) {
            holder.send("{\"command\":\"lock\",\"id\":\"h\",\"content\":{\"name\":\"" + LOCK + "\",\"timeout_ms\":0}}");
            assertThat(holder.nextText())
                    .isEqualTo("{\"command\":\"lock\",\"id\":\"h\",\"content\":{\"name\":\"" + LOCK + "\",\"acquired\":true,\"fence\":1}}");
            try {
                // One after another, each confirmed by a round trip on its own connection: that is
                // the order in which they asked (commands of one connection run in order).
                for (int i = 0; i < WAITERS; i++) {
                    StampedAgent w = StampedAgent.connect(client, server, RUN, "waiter-" + i, false);
                    waiters.add(w);
                    w.send("{\"command\":\"lock\",\"id\":\"w-" + i + "\",\"content\":{\"name\":\"" + LOCK + "\",\"timeout_ms\":120000}}");
                    assertThat(w.roundTrip("queued-" + i)).as("connections of the run").isEqualTo(i + 2);
                }

                long droppedAt = System.nanoTime();
                holder.drop();

                long fence = 1;
                long previousUnlockSent = droppedAt;
                long firstGrantMs = -1;
                for (int i = 0; i < WAITERS; i++) {
                    StampedAgent w = waiters.get(i);
                    StampedAgent.Stamped grant = w.next();
                    Matcher m = GRANT.matcher(grant.text());
                    assertThat(m.matches()).as("waiter %d's next frame is its grant: %s", i, grant.text()).isTrue();
                    assertThat(Integer.parseInt(m.group(1))).as("the grant answers this waiter's own lock").isEqualTo(i);
                    long f = Long.parseLong(m.group(2));
                    assertThat(f).as("waiter %d's fence is larger than every fence before it", i).isGreaterThan(fence);
                    fence = f;
                    // The grant came after the previous holder let go (the drop, or the previous unlock).
                    assertThat(grant.nanos()).as("waiter %d granted only after the lock was let go", i).isGreaterThan(previousUnlockSent);
                    if (i == 0) firstGrantMs = TimeUnit.NANOSECONDS.toMillis(grant.nanos() - droppedAt);
                    // Nobody further down the line holds it meanwhile: the next waiter has nothing yet.
                    if (i + 1 < WAITERS) waiters.get(i + 1).roundTrip("before-" + i);
                    previousUnlockSent = System.nanoTime();
                    w.send("{\"command\":\"unlock\",\"id\":\"u-" + i + "\",\"content\":{\"name\":\"" + LOCK + "\"}}");
                    assertThat(w.nextText())
                            .isEqualTo("{\"command\":\"unlock\",\"id\":\"u-" + i + "\",\"content\":{\"name\":\"" + LOCK + "\",\"released\":true}}");
                    // and no second grant is on its way to it
                    w.roundTrip("done-" + i);
                    w.close();
                    waiters.set(i, null);
                }
                System.out.printf("faults: lock holder reset (no close frame) with %d waiters: first grant %d ms after the drop;"
                        + " %d grants, each once, in asking order, fences 2..%d strictly increasing%n", WAITERS, firstGrantMs, WAITERS, fence);
                assertThat(fence).isGreaterThanOrEqualTo(WAITERS + 1);
                // the lock is free again, and its fence does not repeat
                try (StampedAgent last = StampedAgent.connect(client, server, RUN, "after", false)) {
                    last.send("{\"command\":\"lock\",\"id\":\"again\",\"content\":{\"name\":\"" + LOCK + "\"}}");
                    assertThat(last.nextText()).isEqualTo("{\"command\":\"lock\",\"id\":\"again\",\"content\":{\"name\":\"" + LOCK
                            + "\",\"acquired\":true,\"fence\":" + (fence + 1) + "}}");
                }
            } finally {
                for (StampedAgent w : waiters) if (w != null) w.close();
            }
        }
    }
}
