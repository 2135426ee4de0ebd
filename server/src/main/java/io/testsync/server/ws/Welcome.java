package io.testsync.server.ws;

import io.testsync.server.config.Config;
import io.testsync.server.wire.Json;

/** The first frame of a {@code testsync.v1} connection (SPEC §9.2): who the agent is and what the server allows. */
final class Welcome {
    private Welcome() {}

    static String frame(AgentSocket agent, long now, String limits) {
        return "{\"command\":\"welcome\",\"content\":{\"protocol\":\"" + Frames.V1 + "\",\"run\":" + Json.quote(agent.testId())
                + ",\"agent\":" + Json.quote(agent.agent()) + ",\"connection\":" + Json.quote(agent.id())
                + ",\"server_time_ms\":" + now + ",\"limits\":" + limits + "}}";
    }

    /** The limits an agent can run into, by their configuration keys' names. */
    static String limits(Config config) {
        Config.Limits l = config.limits();
        Config.Toolkit t = config.toolkit();
        return "{\"max_data_bytes\":" + l.maxDataBytes()
                + ",\"max_payload_bytes\":" + t.maxPayloadBytes()
                + ",\"max_connections_per_run\":" + l.maxConnectionsPerRun()
                + ",\"max_checkpoints_per_run\":" + l.maxCheckpointsPerRun()
                + ",\"max_topics_per_run\":" + t.maxTopicsPerRun()
                + ",\"max_messages_per_topic\":" + t.maxMessagesPerTopic()
                + ",\"max_counters_per_run\":" + t.maxCountersPerRun()
                + ",\"max_states_per_run\":" + t.maxStatesPerRun()
                + ",\"max_locks_per_run\":" + t.maxLocksPerRun()
                + "}";
    }
}
