package io.testsync.server.config;

import java.util.function.Function;

/**
 * The startup rule of SPEC §11: cluster mode keeps every node's view of the runs' data in Redis, so
 * {@code cluster.redis_url} requires {@code storage.type: "redis"}. A node with its data in memory or
 * in a local file would answer differently from its peers, so any other combination refuses to start.
 */
final class ClusterRule {

    private ClusterRule() {
    }

    /** @param raw where a key's value came from, or null when it was not set (the default applies) */
    static void check(Config config, Function<ConfigKey, RawValue> raw) throws ConfigException {
        if (!config.cluster().enabled() || Config.Storage.REDIS.equals(config.storage().type())) {
            return;
        }
        RawValue type = raw.apply(ConfigKey.STORAGE_TYPE);
        String storage = type == null ? "storage.type is \"" + config.storage().type() + "\" (the default)"
                : type.where() + " is \"" + config.storage().type() + "\"";
        throw new ConfigException(raw.apply(ConfigKey.CLUSTER_REDIS_URL).where() + " turns on cluster mode, but "
                + storage + "; cluster mode needs storage.type \"redis\" with storage.redis_url, so that every node"
                + " sees the same data: set them, or remove cluster.redis_url to run a single node");
    }
}
