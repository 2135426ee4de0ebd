package io.testsync.server.cluster;

import io.vertx.core.buffer.Buffer;

/** Receives the messages of one {@link RedisLink#subscribe} or {@link RedisLink#psubscribe}. */
@FunctionalInterface
public interface SubscriptionHandler {

    /** A message published on {@code channel} (for a pattern subscription, the channel that matched). */
    void message(String channel, Buffer payload);

    /**
     * The subscription is in place again after the connection to Redis was lost. Redis does not keep
     * messages for absent subscribers: whatever was published meanwhile is gone, so the owner reads
     * the state it follows back from Redis here.
     */
    default void resubscribed() {
    }
}
