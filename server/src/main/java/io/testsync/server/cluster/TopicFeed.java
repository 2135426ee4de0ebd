package io.testsync.server.cluster;

import io.testsync.server.runs.TopicMessage;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * One member's subscription to a topic on this node: live messages of the run's channel, joined to the
 * replay read from the stream without a gap or a duplicate (SPEC §9.3). Until the replay is known the
 * live messages are held; afterwards a message is delivered only when its seq is the next one due.
 * On the coordinator's context only.
 */
final class TopicFeed {
    final String topic;
    final String replyId;
    /** The seq the member is to receive next. */
    private long next;
    /** Live messages that arrived before the replay; null once the replay is out. */
    private List<TopicMessage> held = new ArrayList<>();

    TopicFeed(String topic, long fromSeq, String replyId) {
        this.topic = topic;
        this.next = fromSeq;
        this.replyId = replyId;
    }

    /** The replay is known: returns the held live messages that follow it, in order, and goes live. */
    List<TopicMessage> replayed(List<TopicMessage> replay) {
        if (!replay.isEmpty()) next = Math.max(next, replay.get(replay.size() - 1).seq() + 1);
        List<TopicMessage> due = new ArrayList<>();
        held.sort(Comparator.comparingLong(TopicMessage::seq));
        for (TopicMessage m : held) {
            if (m.seq() >= next) {
                due.add(m);
                next = m.seq() + 1;
            }
        }
        held = null;
        return due;
    }

    /** A live message: true when it is to be delivered now (not held, not already replayed). */
    boolean live(TopicMessage m) {
        if (held != null) {
            held.add(m);
            return false;
        }
        if (m.seq() < next) return false;
        next = m.seq() + 1;
        return true;
    }
}
