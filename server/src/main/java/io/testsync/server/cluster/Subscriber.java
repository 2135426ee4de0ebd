package io.testsync.server.cluster;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The dedicated pub/sub connection of a {@link RedisLink}, and what the Vert.x client does not do:
 * reconnect it. When the connection ends (Redis restarted, network cut) it connects again with a
 * growing delay, subscribes again to every channel and pattern that still has a handler, and tells
 * each handler so ({@link SubscriptionHandler#resubscribed()}). A connection that stops answering
 * without closing (a half-open TCP connection, a hung Redis) is found by a heartbeat: a {@code PING}
 * every {@code heartbeatMs}; one still unanswered at the next beat ends the connection, which is then
 * opened again like any lost one.
 *
 * <p>All state is touched on one Vert.x context only, so it needs no lock; handlers are called there too.
 */
final class Subscriber {
    private static final Logger log = LoggerFactory.getLogger(Subscriber.class);

    private enum Kind {
        CHANNEL(Command.SUBSCRIBE, Command.UNSUBSCRIBE, "subscribe"),
        PATTERN(Command.PSUBSCRIBE, Command.PUNSUBSCRIBE, "psubscribe");

        final Command subscribe;
        final Command unsubscribe;
        final String confirmation;

        Kind(Command subscribe, Command unsubscribe, String confirmation) {
            this.subscribe = subscribe;
            this.unsubscribe = unsubscribe;
            this.confirmation = confirmation;
        }
    }

    /** The subscriptions of one kind: handlers by name, and which names this connection asked for / Redis confirmed. */
    private static final class Table {
        final Map<String, List<Sub>> handlers = new LinkedHashMap<>();
        final Set<String> requested = new HashSet<>();
        final Set<String> confirmed = new HashSet<>();
    }

    private final class Sub implements Subscription {
        final Kind kind;
        final String name;
        final SubscriptionHandler handler;
        final Promise<Void> ready = Promise.promise();
        boolean confirmedOnce;
        boolean missedMessages;

        Sub(Kind kind, String name, SubscriptionHandler handler) {
            this.kind = kind;
            this.name = name;
            this.handler = handler;
        }

        @Override
        public Future<Void> ready() {
            return ready.future();
        }

        @Override
        public Future<Void> close() {
            Promise<Void> done = Promise.promise();
            onContext(() -> remove(this, done));
            return done.future();
        }
    }

    /** One client per Redis that can serve the subscriptions (a Redis Cluster's nodes each do); tried in turn. */
    private final List<Redis> clients;
    private int current;
    private final Context context;
    private final Vertx vertx;
    private final String address;
    private final long reconnectMinMs;
    private final long reconnectMaxMs;
    private final Map<Kind, Table> tables = Map.of(Kind.CHANNEL, new Table(), Kind.PATTERN, new Table());

    private RedisConnection connection;
    private boolean connecting;
    private boolean closed;
    private int failedAttempts;
    private boolean outage;
    private long reconnectTimer = -1;
    private long reconnects;
    private final long heartbeatMs;
    private long heartbeatTimer = -1;
    private boolean awaitingPong;

    Subscriber(Vertx vertx, Context context, List<Redis> clients, String address, long reconnectMinMs, long reconnectMaxMs,
               long heartbeatMs) {
        this.vertx = vertx;
        this.heartbeatMs = heartbeatMs;
        this.context = context;
        if (clients.isEmpty()) throw new IllegalArgumentException("no Redis to subscribe on");
        this.clients = List.copyOf(clients);
        this.address = address;
        this.reconnectMinMs = reconnectMinMs;
        this.reconnectMaxMs = reconnectMaxMs;
    }

    Subscription subscribe(String channel, SubscriptionHandler handler) {
        return add(Kind.CHANNEL, channel, handler);
    }

    Subscription psubscribe(String pattern, SubscriptionHandler handler) {
        return add(Kind.PATTERN, pattern, handler);
    }

    /** Whether the pub/sub connection is up now (read from any thread; for readiness and tests). */
    synchronized boolean connected() {
        return connectedFlag;
    }

    /** How many times the connection was established again after being lost. */
    synchronized long reconnects() {
        return reconnects;
    }

    private boolean connectedFlag;

    void close() {
        onContext(() -> {
            closed = true;
            if (reconnectTimer >= 0) vertx.cancelTimer(reconnectTimer);
            stopHeartbeat();
            tables.values().forEach(t -> t.handlers.values().forEach(subs -> subs.forEach(s -> s.ready.tryFail("the Redis link is closed"))));
            if (connection != null) connection.close();
            connection = null;
            setConnected(false);
        });
    }

    private Subscription add(Kind kind, String name, SubscriptionHandler handler) {
        java.util.Objects.requireNonNull(name, "name");
        java.util.Objects.requireNonNull(handler, "handler");
        Sub sub = new Sub(kind, name, handler);
        onContext(() -> {
            if (closed) {
                sub.ready.tryFail("the Redis link is closed");
                return;
            }
            Table table = tables.get(kind);
            table.handlers.computeIfAbsent(name, n -> new ArrayList<>()).add(sub);
            if (connection == null) {
                connect();
            } else if (table.confirmed.contains(name)) {
                confirm(sub);
            } else if (table.requested.add(name)) {
                send(connection, Request.cmd(kind.subscribe).arg(name));
            }
        });
        return sub;
    }

    private void remove(Sub sub, Promise<Void> done) {
        Table table = tables.get(sub.kind);
        List<Sub> subs = table.handlers.get(sub.name);
        sub.ready.tryFail("the subscription was closed before Redis confirmed it");
        if (subs == null || !subs.remove(sub)) {
            done.complete();
            return;
        }
        if (!subs.isEmpty()) {
            done.complete();
            return;
        }
        table.handlers.remove(sub.name);
        boolean wasRequested = table.requested.remove(sub.name);
        table.confirmed.remove(sub.name);
        if (connection != null && wasRequested) {
            connection.send(Request.cmd(sub.kind.unsubscribe).arg(sub.name)).<Void>mapEmpty().onComplete(done);
        } else {
            done.complete();
        }
    }

    private void connect() {
        if (connecting || connection != null || closed) return;
        connecting = true;
        clients.get(current).connect().onComplete(result -> onContext(() -> {
            connecting = false;
            if (result.failed()) {
                retryLater(result.cause());
                return;
            }
            RedisConnection c = result.result();
            if (closed) {
                c.close();
                return;
            }
            connection = c;
            c.handler(reply -> onContext(() -> dispatch(c, reply)));
            c.exceptionHandler(e -> onContext(() -> lost(c, e)));
            c.endHandler(v -> onContext(() -> lost(c, null)));
            if (outage) {
                log.info("Redis pub/sub connection to {} is back after {} failed attempts; subscribing again", address, failedAttempts);
                synchronized (this) {
                    reconnects++;
                }
            }
            outage = false;
            failedAttempts = 0;
            setConnected(true);
            startHeartbeat(c);
            for (Kind kind : Kind.values()) {
                Table table = tables.get(kind);
                if (table.handlers.isEmpty()) continue;
                Request request = Request.cmd(kind.subscribe);
                table.handlers.keySet().forEach(request::arg);
                table.requested.addAll(table.handlers.keySet());
                send(c, request);
            }
        }));
    }

    private void startHeartbeat(RedisConnection c) {
        stopHeartbeat();
        if (heartbeatMs <= 0) return;
        heartbeatTimer = vertx.setPeriodic(heartbeatMs, id -> onContext(() -> beat(c)));
    }

    private void stopHeartbeat() {
        if (heartbeatTimer >= 0) vertx.cancelTimer(heartbeatTimer);
        heartbeatTimer = -1;
        awaitingPong = false;
    }

    private void beat(RedisConnection c) {
        if (c != connection) return;
        if (awaitingPong) {
            lost(c, new java.util.concurrent.TimeoutException("no answer to PING within " + heartbeatMs + " ms"));
            return;
        }
        awaitingPong = true;
        c.send(Request.cmd(Command.PING)).onComplete(done -> onContext(() -> {
            if (c != connection) return;
            if (done.failed()) {
                lost(c, done.cause());
            } else {
                awaitingPong = false;
            }
        }));
    }

    private void send(RedisConnection c, Request request) {
        c.send(request).onFailure(e -> onContext(() -> lost(c, e)));
    }

    private void lost(RedisConnection c, Throwable cause) {
        if (c != connection) return; // an old connection's late news
        connection = null;
        setConnected(false);
        stopHeartbeat();
        for (Table table : tables.values()) {
            table.requested.clear();
            table.confirmed.clear();
            table.handlers.values().forEach(subs -> subs.forEach(s -> s.missedMessages = s.confirmedOnce));
        }
        try {
            // A half-open connection is still "open" to the pool: close its socket, not only the lease.
            if (c instanceof io.vertx.redis.client.impl.PooledRedisConnection pooled) pooled.actual().forceClose();
            c.close();
        } catch (RuntimeException ignored) {
            // the connection is gone already; returning it to the pool only evicts it
        }
        if (closed) return;
        outage = true;
        next();
        log.warn("Redis pub/sub connection to {} lost ({}); reconnecting (handlers read back what is published meanwhile)",
                address, cause == null ? "closed by the server" : cause.toString());
        retryLater(null);
    }

    private void retryLater(Throwable failure) {
        if (closed) return;
        if (failure != null) {
            failedAttempts++;
            next();
            if (!outage) {
                outage = true;
                log.warn("cannot open the Redis pub/sub connection to {} ({}); retrying", address, failure.toString());
            } else {
                log.debug("Redis pub/sub connection to {} still failing: {}", address, failure.toString());
            }
        }
        long delay = Math.min(reconnectMaxMs, reconnectMinMs << Math.min(failedAttempts, 20));
        reconnectTimer = vertx.setTimer(delay, id -> onContext(() -> {
            reconnectTimer = -1;
            connect();
        }));
    }

    /** The next Redis to try (on a Redis Cluster, the next node: each hears every PUBLISH). */
    private void next() {
        current = (current + 1) % clients.size();
    }

    private void dispatch(RedisConnection c, Response reply) {
        if (c != connection || reply == null || reply.size() < 3) return;
        String type = reply.get(0).toString();
        switch (type) {
            case "message" -> deliver(Kind.CHANNEL, reply.get(1).toString(), reply.get(1).toString(), reply.get(2));
            case "pmessage" -> {
                if (reply.size() >= 4) deliver(Kind.PATTERN, reply.get(1).toString(), reply.get(2).toString(), reply.get(3));
            }
            case "subscribe" -> confirmed(Kind.CHANNEL, reply.get(1).toString());
            case "psubscribe" -> confirmed(Kind.PATTERN, reply.get(1).toString());
            default -> { } // unsubscribe confirmations: nothing waits for them
        }
    }

    private void deliver(Kind kind, String name, String channel, Response payload) {
        List<Sub> subs = tables.get(kind).handlers.get(name);
        if (subs == null) return;
        var buffer = payload.toBuffer();
        for (Sub sub : List.copyOf(subs)) {
            try {
                sub.handler.message(channel, buffer);
            } catch (RuntimeException e) {
                log.error("handler of Redis {} {} failed: {}", kind.confirmation, name, e.toString(), e);
            }
        }
    }

    private void confirmed(Kind kind, String name) {
        Table table = tables.get(kind);
        if (!table.requested.contains(name)) return;
        table.confirmed.add(name);
        List<Sub> subs = table.handlers.get(name);
        if (subs != null) List.copyOf(subs).forEach(this::confirm);
    }

    private void confirm(Sub sub) {
        if (!sub.confirmedOnce) {
            sub.confirmedOnce = true;
            sub.ready.tryComplete();
        } else if (sub.missedMessages) {
            sub.missedMessages = false;
            try {
                sub.handler.resubscribed();
            } catch (RuntimeException e) {
                log.error("handler of Redis {} {} failed on resubscription: {}", sub.kind.confirmation, sub.name, e.toString(), e);
            }
        }
    }

    private synchronized void setConnected(boolean value) {
        connectedFlag = value;
    }

    private void onContext(Runnable action) {
        if (Vertx.currentContext() == context) {
            action.run();
        } else {
            context.runOnContext(v -> action.run());
        }
    }
}
