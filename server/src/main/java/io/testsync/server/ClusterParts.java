package io.testsync.server;

import io.testsync.server.cluster.ClusterFleet;
import io.testsync.server.cluster.ClusterGauges;
import io.testsync.server.cluster.ClusterRetention;
import io.testsync.server.cluster.RedisCoordinator;
import io.testsync.server.config.Config;
import io.testsync.server.store.DataStore;

/**
 * What a cluster node runs over Redis beside the coordination (SPEC §10, §11): the management API's
 * fleet, the run gauges and the retention of the runs' coordination keys, all over the whole cluster.
 */
record ClusterParts(ClusterFleet fleet, ClusterGauges gauges, ClusterRetention retention) {

    static ClusterParts of(RedisCoordinator node, DataStore store, Config config, Operations operations) {
        var retention = new ClusterRetention(node, config.retention().maxIdle().toMillis(),
                config.retention().sweepInterval().toMillis());
        var metrics = operations.metrics();
        metrics.counter("testsync.cluster.retention.sweeps", "Retention sweeps of the cluster's runs this node made (it held the sweep lock)",
                retention::sweeps);
        metrics.counter("testsync.cluster.retention.skipped", "Retention sweeps this node left to the node that held the sweep lock",
                retention::skipped);
        metrics.counter("testsync.cluster.retention.removed.runs", "Cluster runs whose coordination state this node removed (idle for retention.max_idle)",
                retention::removedRuns);
        return new ClusterParts(new ClusterFleet(node, store), new ClusterGauges(node), retention);
    }
}
