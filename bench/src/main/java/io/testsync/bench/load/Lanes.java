package io.testsync.bench.load;

import io.vertx.core.Context;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VerticleBase;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One Vert.x context per event loop of the generator. Every connection is opened from, and all
 * its handlers run on, one lane, so each lane's counters and histograms are touched by one thread
 * only: no locks on the measuring path, and timestamps are taken on the thread that sends.
 */
public final class Lanes {
    private final List<Context> contexts;

    private Lanes(List<Context> contexts) {
        this.contexts = List.copyOf(contexts);
    }

    /** Deploys one do-nothing verticle per event loop; Vert.x gives each instance its own loop. */
    public static Lanes create(Vertx vertx, int eventLoops) {
        List<Context> found = Collections.synchronizedList(new ArrayList<>());
        Future<String> deployed = vertx.deployVerticle(() -> new VerticleBase() {
            @Override
            public Future<?> start() {
                found.add(context);
                return Future.succeededFuture();
            }
        }, new DeploymentOptions().setInstances(eventLoops));
        Await.on(deployed, 10, TimeUnit.SECONDS, "deploying the generator's event-loop lanes");
        return new Lanes(found);
    }

    public int size() {
        return contexts.size();
    }

    public Context get(int lane) {
        return contexts.get(lane);
    }

    /** The lane that connection number {@code i} lives on: connections are dealt round-robin. */
    public int laneOf(int i) {
        return i % contexts.size();
    }
}
