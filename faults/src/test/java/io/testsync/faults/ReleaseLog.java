package io.testsync.faults;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every checkpoint join sent and every release received by the agents of one run, with when, so
 * that SPEC §4/§11 can be checked over all of them at the end: nobody is released twice for one
 * checkpoint, and no complete release comes before its target was reached.
 */
final class ReleaseLog {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One release frame as an agent received it; {@code atNanos} is its arrival. */
    record Release(String agent, String identifier, boolean finished, String reason, int joined, int target,
                   long startAt, String text, long atNanos) {}

    private final String run;
    private final List<Release> releases = new ArrayList<>();
    /** Per identifier, the latest moment (nanoTime) a join of it began to be sent. */
    private final Map<String, Long> lastJoinSent = new HashMap<>();

    ReleaseLog(String run) {
        this.run = run;
    }

    synchronized void joinSending(String identifier, long nanos) {
        lastJoinSent.merge(identifier, nanos, Math::max);
    }

    /** Records {@code text}, which must be a release; returns it parsed. */
    synchronized Release received(String agent, String text, long atNanos) {
        JsonNode frame;
        try {
            frame = JSON.readTree(text);
        } catch (Exception e) {
            throw new AssertionError(run + "/" + agent + ": not JSON: " + text, e);
        }
        assertThat(frame.path("command").asText()).as("%s/%s expected a release, got %s", run, agent, text).isEqualTo("wait_checkpoint");
        JsonNode c = frame.get("content");
        Release r = new Release(agent, c.get("identifier").asText(), c.get("finished").asBoolean(), c.get("reason").asText(),
                c.get("joined").asInt(), c.get("target").asInt(), c.get("start_at").asLong(), text, atNanos);
        releases.add(r);
        return r;
    }

    synchronized List<Release> all() {
        return List.copyOf(releases);
    }

    /**
     * No agent got two releases of one checkpoint; every complete release says the target was reached,
     * all members of a checkpoint got one and the same decision (one start_at), as many as the target, and
     * the first of them arrived only after the last join of that checkpoint had been sent.
     */
    synchronized void assertReleasedOnceAndNeverEarly() {
        Set<String> seen = new HashSet<>();
        Map<String, List<Release>> complete = new HashMap<>();
        for (Release r : releases) {
            assertThat(seen.add(r.agent() + "\n" + r.identifier()))
                    .as("%s: %s was released twice from %s: %s", run, r.agent(), r.identifier(), r.text()).isTrue();
            if (r.finished()) complete.computeIfAbsent(r.identifier(), k -> new ArrayList<>()).add(r);
        }
        for (var e : complete.entrySet()) {
            List<Release> rs = e.getValue();
            Release first = rs.get(0);
            for (Release r : rs) {
                assertThat(r.reason()).as("%s/%s %s", run, r.agent(), r.text()).isEqualTo("complete");
                assertThat(r.joined()).as("%s/%s released from %s with joined < target: %s", run, r.agent(), e.getKey(), r.text())
                        .isEqualTo(r.target());
                assertThat(r.target()).as("%s %s: one target", run, e.getKey()).isEqualTo(first.target());
                assertThat(r.startAt()).as("%s %s: one decision, one start_at", run, e.getKey()).isEqualTo(first.startAt());
            }
            assertThat(rs).as("%s %s: as many released as the target", run, e.getKey()).hasSize(first.target());
            long firstArrival = rs.stream().mapToLong(Release::atNanos).min().orElseThrow();
            assertThat(lastJoinSent).as("%s %s: its joins were recorded", run, e.getKey()).containsKey(e.getKey());
            assertThat(firstArrival).as("%s %s: a release arrived before the last join was sent", run, e.getKey())
                    .isGreaterThan(lastJoinSent.get(e.getKey()));
        }
    }
}
