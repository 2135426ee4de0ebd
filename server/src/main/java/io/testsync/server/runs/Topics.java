package io.testsync.server.runs;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A run's topics: published messages kept for replay and the members subscribed (SPEC §9.3). Not
 * thread-safe: guarded by the lock of the {@link Run} that holds it.
 */
final class Topics {

    private static final class Topic {
        final List<TopicMessage> messages = new ArrayList<>();
        /** Subscriber -> the id of its subscribe, which every message echoes. */
        final Map<Member, String> subscribers = new LinkedHashMap<>();
    }

    private final Map<String, Topic> topics = new HashMap<>();

    /**
     * Appends a message (seq = count + 1) and hands it to every subscriber at once, under the run's
     * lock: two publishes racing on two threads then reach every subscriber in seq order. (Handed
     * over after the lock, seq 36 could overtake seq 35 on its way to a subscriber's loop.)
     */
    Outcome<Long> publish(String topic, String payload, long now, RunRegistry.Settings limits) {
        Topic t = topics.get(topic);
        if (t == null) {
            if (topics.size() >= limits.maxTopicsPerRun()) return Outcome.limit(RunRegistry.MAX_TOPICS_PER_RUN, limits.maxTopicsPerRun());
            t = new Topic();
            topics.put(topic, t);
        }
        if (t.messages.size() >= limits.maxMessagesPerTopic()) {
            return Outcome.limit(RunRegistry.MAX_MESSAGES_PER_TOPIC, limits.maxMessagesPerTopic());
        }
        TopicMessage message = new TopicMessage(topic, t.messages.size() + 1, payload, now);
        t.messages.add(message);
        t.subscribers.forEach((member, replyId) -> Deliveries.safely(member, "message of topic '" + topic + "'",
                () -> member.message(message, replyId)));
        return Outcome.ok(message.seq());
    }

    /**
     * Subscribes the member from {@code fromSeq} on: returns the messages already published with
     * seq >= fromSeq (the replay), and every later one is queued for it as it is published. Decided
     * under the run's lock, so no publish falls between the replay and the live messages.
     */
    Outcome<List<TopicMessage>> subscribe(Member member, String topic, long fromSeq, String replyId, int maxTopics) {
        Topic t = topics.get(topic);
        if (t == null) {
            if (topics.size() >= maxTopics) return Outcome.limit(RunRegistry.MAX_TOPICS_PER_RUN, maxTopics);
            t = new Topic();
            topics.put(topic, t);
        }
        if (t.subscribers.containsKey(member)) {
            return Outcome.invalid("this connection already subscribes to topic " + topic + "; unsubscribe first");
        }
        t.subscribers.put(member, replyId);
        int from = (int) Math.min(t.messages.size(), fromSeq - 1);
        return Outcome.ok(List.copyOf(t.messages.subList(from, t.messages.size())));
    }

    /** Ends the member's subscription; false when it had none. */
    boolean unsubscribe(Member member, String topic) {
        Topic t = topics.get(topic);
        if (t == null || !t.subscribers.containsKey(member)) return false;
        t.subscribers.remove(member);
        return true;
    }

    /** A closing member: every subscription ends. */
    void leave(Member member) {
        for (Topic t : topics.values()) t.subscribers.remove(member);
    }

    int size() {
        return topics.size();
    }

    void clear() {
        topics.clear();
    }

    /** For the management API: every topic by name. */
    List<RunSnapshot.TopicView> views() {
        List<RunSnapshot.TopicView> views = new ArrayList<>();
        new TreeMap<>(topics).forEach((name, t) -> views.add(new RunSnapshot.TopicView(name, t.messages.size(), t.subscribers.size())));
        return views;
    }
}
