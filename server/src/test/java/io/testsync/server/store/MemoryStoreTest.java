package io.testsync.server.store;

/** The storage contract against the in-memory backend. */
class MemoryStoreTest extends StoreContractTest {

    @Override
    DataStore newStore() {
        return new MemoryStore();
    }
}
