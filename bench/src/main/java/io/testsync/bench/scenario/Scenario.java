package io.testsync.bench.scenario;

import io.testsync.bench.Env;
import io.testsync.bench.Row;

import java.util.List;

/** One scenario of issue 3; it starts the children it needs and returns one row per parameter. */
public interface Scenario {

    /** The name used by {@code --scenario} and in the table. */
    String name();

    List<Row> run(Env env);
}
