package io.testsync.server.admin;

import io.testsync.server.config.Config;
import io.testsync.server.http.Auth;
import io.testsync.server.runs.RunRegistry;
import io.vertx.core.Vertx;

/** Builds the management API and live page of one server over its fleet and store. */
public final class Admin {
    private Admin() {}

    /** The fleet of a single server: its registry and its store; {@code node} is what each connection's node shows. */
    public static Fleet localFleet(Vertx vertx, RunRegistry registry, DataChanges store, String node) {
        // Listing 10,000 runs takes a few ms of copying: on a worker thread, never on an event loop.
        return new LocalFleet(registry, store, task -> vertx.executeBlocking(() -> {
            task.run();
            return null;
        }, false), node);
    }

    /**
     * @param fleet the runs shown: {@link #localFleet}, or the cluster's
     * @param store the server's store as {@link DataChanges}, so data written anywhere reaches the live page
     */
    public static AdminApi create(Vertx vertx, Fleet fleet, DataChanges store, Auth agents,
                                  Config.Credentials admin, long requestTimeoutMs) {
        store.listener(fleet::dataChanged);
        return new AdminApi(fleet, new AdminAuth(agents, admin), new EventStreams(vertx, fleet), new UiAssets(),
                requestTimeoutMs);
    }
}
