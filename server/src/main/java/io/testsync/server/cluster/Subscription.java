package io.testsync.server.cluster;

import io.vertx.core.Future;

/** One registered handler of a channel or pattern; it stays subscribed across reconnections until closed. */
public interface Subscription {

    /** Completes once Redis has confirmed the subscription the first time (later while Redis is down); fails if closed before. */
    Future<Void> ready();

    /** Removes the handler; the link unsubscribes from Redis when it was the channel's last one. */
    Future<Void> close();
}
