"""The asyncio client against the real server: every method, errors, contention, loss."""

from __future__ import annotations

import asyncio
import time
from typing import Any, Awaitable, Callable

import pytest

from testsync import (AsyncHeldLock, AsyncTestSync, CheckpointFailedError, ConnectError, ConnectionLostError,
                      LockTimeoutError, StoredData, TestSyncError)

from _server import PASSWORD, USERNAME, ServerProcess


def run(server: ServerProcess, run_id: str, body: Callable[..., Awaitable[Any]]) -> Any:
    """Run ``body(connect)`` in a fresh event loop; every client it opens is closed afterwards."""

    async def main() -> Any:
        opened = []

        async def connect(agent=None):
            client = await AsyncTestSync.connect(server.ws_url, run_id, USERNAME, PASSWORD, agent)
            opened.append(client)
            return client

        try:
            return await asyncio.wait_for(body(connect), 60)
        finally:
            for client in opened:
                await client.close()

    return asyncio.run(main())


def test_welcome_data_and_count(server, run_id):
    async def body(connect):
        a, b = await connect("async-a"), await connect()
        assert a.welcome.agent == "async-a" and a.welcome.run == run_id
        assert await a.data() is None
        assert await a.read_data() == StoredData(False)
        assert await a.set_data({"k": [1, 2]}) == len('{"k":[1,2]}')
        assert await b.read_data() == StoredData(True, "application/json", {"k": [1, 2]}, None)
        assert await b.connection_count() == 2

    run(server, run_id, body)


def test_checkpoint_of_8_agents_resumes_together(server, run_id):
    async def body(connect):
        clients = [await connect(f"a{i}") for i in range(8)]

        async def arrive(c):
            release = await c.checkpoint("go", 8, timeout=30)
            assert time.monotonic() >= release.resume_at
            return release

        releases = await asyncio.gather(*(arrive(c) for c in clients))
        assert len({r.start_at for r in releases}) == 1 and {r.joined for r in releases} == {8}

    run(server, run_id, body)


def test_checkpoint_timeout_names_the_absent_agent(server, run_id):
    async def body(connect):
        joiner, _ = await connect("in"), await connect("out")
        with pytest.raises(CheckpointFailedError) as e:
            await joiner.checkpoint("half", 2, timeout=0.5)
        assert (e.value.reason, e.value.joined_agents, e.value.absent_agents) == ("timeout", ("in",), ("out",))

    run(server, run_id, body)


def test_toolkit_entries_counters_topics(server, run_id):
    async def body(connect):
        a, b = await connect(), await connect()
        assert [await a.signal_entry("s"), await b.signal_entry("s")] == [1, 2]
        assert await a.counter("n", 5) == 5 and await b.counter("n") == 5
        assert await a.publish("topic", "first") == 1
        async with b.subscribe("topic") as sub:
            assert await a.publish("topic", {"second": True}) == 2
            got = [await sub.get(timeout=10), await sub.get(timeout=10)]
            assert [(m.seq, m.payload) for m in got] == [(1, "first"), (2, {"second": True})]
        sub2 = await b.subscribe("topic", from_seq=2)
        seen = []
        async for message in sub2:
            seen.append(message.seq)
            await sub2.unsubscribe()
        assert seen == [2]

    run(server, run_id, body)


def test_lock_contended_by_10_async_clients(server, run_id):
    async def body(connect):
        clients = [await connect(f"l{i}") for i in range(10)]
        holders, fences = [], []

        async def work(c):
            for _ in range(3):
                async with c.lock("acct", timeout=30) as held:
                    assert isinstance(held, AsyncHeldLock)
                    assert holders == []
                    holders.append(c)
                    fences.append(held.fence)
                    await c.counter("inside", 1)  # yield to the others while holding it
                    holders.remove(c)

        await asyncio.gather(*(work(c) for c in clients))
        assert len(fences) == 30 and all(x < y for x, y in zip(fences, fences[1:]))

    run(server, run_id, body)


def test_errors_and_lock_timeout(server, run_id):
    async def body(connect):
        a, b = await connect(), await connect()
        with pytest.raises(TestSyncError) as e:
            await a.unlock("not-held")
        assert e.value.code == "invalid_argument"
        held = await a.lock("x", timeout=5)
        with pytest.raises(LockTimeoutError):
            await b.lock("x", timeout=0.2)
        await held.release()
        assert (await b.lock("x", timeout=5)).fence > held.fence

    run(server, run_id, body)


def test_connect_refused_and_close(server, run_id):
    async def body(connect):
        with pytest.raises(ConnectError) as e:
            await AsyncTestSync.connect(server.ws_url, run_id, USERNAME, "wrong")
        assert e.value.status == 401
        async with AsyncTestSync.connect(server.ws_url, run_id, USERNAME, PASSWORD) as client:
            waiting = asyncio.ensure_future(client.checkpoint("never", 2, timeout=60))
            await asyncio.sleep(0)  # let the join be sent
        assert client.closed
        with pytest.raises(ConnectionLostError) as lost:
            await waiting
        assert lost.value.close_code == 1000

    run(server, run_id, body)


def test_a_killed_server_fails_async_waits_within_1_s(own_server, run_id):
    async def body(connect):
        a, b = await connect(), await connect()
        waits = [asyncio.ensure_future(c.checkpoint("doomed", 5, timeout=60)) for c in (a, b)]
        await a.connection_count()
        await b.connection_count()  # both joins are taken
        killed_at = time.monotonic()
        own_server.kill()
        results = await asyncio.gather(*waits, return_exceptions=True)
        assert all(isinstance(r, ConnectionLostError) for r in results), results
        assert time.monotonic() - killed_at < 1.0

    run(own_server, run_id, body)


def test_a_lock_granted_after_its_waiter_was_cancelled_is_handed_back(server, run_id):
    async def body(connect):
        holder, quitter, next_in_line = await connect("holder"), await connect("quitter"), await connect("next")
        held = await holder.lock("hot", timeout=10)
        with pytest.raises(asyncio.TimeoutError):
            await asyncio.wait_for(quitter.lock("hot", timeout=30), 0.3)  # cancelled while queued
        await quitter.connection_count()  # the queued request is on the server: it will be granted
        await held.release()  # granted to quitter, which gave up: the client unlocks it at once
        again = await next_in_line.lock("hot", timeout=10)
        assert again.fence > held.fence + 1  # quitter's grant came in between
        assert not quitter.closed

    run(server, run_id, body)
