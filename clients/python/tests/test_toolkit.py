"""The §9.3 toolkit through the blocking client: entries, counters, topics, locks."""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from testsync import HeldLock, LockTimeoutError, Message

from _helpers import await_condition, start_blocking


def test_signal_entry_numbers_agents_1_2_3_per_state_without_reuse(connect):
    a, b, c = connect(), connect(), connect()
    assert [a.signal_entry("roles"), b.signal_entry("roles"), c.signal_entry("roles")] == [1, 2, 3]
    assert a.signal_entry("other") == 1
    b.close()
    assert connect().signal_entry("roles") == 4  # b keeps its number


def test_signal_entry_is_unique_across_threads(connect):
    clients = [connect() for _ in range(10)]
    with ThreadPoolExecutor(10) as pool:
        seqs = list(pool.map(lambda c: [c.signal_entry("race") for _ in range(5)], clients))
    assert sorted(s for per in seqs for s in per) == list(range(1, 51))


def test_counter_adds_atomically_and_add_0_reads(connect):
    clients = [connect() for _ in range(5)]
    assert clients[0].counter("users") == 0
    with ThreadPoolExecutor(5) as pool:
        list(pool.map(lambda c: [c.counter("users", 1) for _ in range(20)], clients))
    assert clients[0].counter("users") == 100
    assert clients[1].counter("users", -30) == 70


def test_subscribe_replays_then_follows_live_in_seq_order(connect):
    publisher, late = connect(), connect()
    assert publisher.publish("addresses", {"ip": "10.0.0.7"}) == 1
    assert publisher.publish("addresses", None) == 2
    with late.subscribe("addresses") as sub:
        assert publisher.publish("addresses", [1, "two"]) == 3
        got = [sub.get(timeout=10) for _ in range(3)]
    assert [(m.topic, m.seq, m.payload) for m in got] == [
        ("addresses", 1, {"ip": "10.0.0.7"}), ("addresses", 2, None), ("addresses", 3, [1, "two"])]
    assert all(isinstance(m.published_at_ms, int) and m.published_at_ms > 0 for m in got)


def test_from_seq_skips_earlier_messages(connect):
    client = connect()
    for i in range(1, 6):
        client.publish("t", i)
    sub = client.subscribe("t", from_seq=4)
    assert [sub.get(timeout=10).payload, sub.get(timeout=10).payload] == [4, 5]  # type: ignore[union-attr]
    assert sub.get(timeout=0.05) is None


def test_iterating_a_subscription_yields_messages_until_unsubscribe(connect):
    publisher, reader = connect(), connect()
    sub = reader.subscribe("feed")
    seen = []

    def read():
        for message in sub:
            seen.append(message)

    thread = threading.Thread(target=read)
    thread.start()
    for i in range(10):
        publisher.publish("feed", {"i": i})
    await_condition(lambda: len(seen) == 10)
    sub.unsubscribe()
    thread.join(10)
    assert not thread.is_alive()  # iteration ended with the unsubscribe
    publisher.publish("feed", "after")
    assert [m.seq for m in seen] == list(range(1, 11))
    assert isinstance(seen[0], Message)
    assert reader.subscribe("feed", from_seq=11).get(timeout=10).payload == "after"  # type: ignore[union-attr]


def test_lock_is_a_context_manager_exposing_the_fence(connect):
    a, b = connect(), connect()
    with a.lock("account", timeout=10) as held:
        assert isinstance(held, HeldLock) and held.name == "account"
        first = held.fence
    with b.lock("account", timeout=10) as again:
        assert again.fence > first
    assert again.released


def test_lock_contended_by_10_clients_has_one_holder_and_growing_fences(connect):
    clients = [connect(f"locker-{i}") for i in range(10)]
    inside = []
    fences = []
    guard = threading.Lock()
    overlaps = []

    def work(client):
        for _ in range(5):
            with client.lock("shared-account", timeout=60) as held:
                with guard:
                    if inside:
                        overlaps.append((inside[:], client.welcome.agent))
                    inside.append(client.welcome.agent)
                    fences.append(held.fence)
                client.counter("work", 1)  # a server round trip while holding the lock
                with guard:
                    inside.remove(client.welcome.agent)

    with ThreadPoolExecutor(10) as pool:
        list(pool.map(work, clients))
    assert overlaps == []
    assert len(fences) == 50
    assert all(x < y for x, y in zip(fences, fences[1:])), fences
    assert clients[0].counter("work") == 50


def test_a_lock_not_granted_in_time_raises_lock_timeout(connect):
    holder, waiter = connect(), connect()
    held = holder.lock("busy", timeout=10)
    started = time.monotonic()
    with pytest.raises(LockTimeoutError) as e:
        waiter.lock("busy", timeout=0.3)
    assert time.monotonic() - started >= 0.3
    assert e.value.code == "lock_timeout"
    assert e.value.reply == {"name": "busy", "acquired": False, "reason": "timeout"}
    held.release()
    held.release()  # twice is harmless
    assert waiter.lock("busy", timeout=10).fence > held.fence


def test_a_closed_holder_hands_the_lock_to_the_next_waiter(connect):
    holder, waiter = connect(), connect()
    first = holder.lock("handover", timeout=10)
    pending = start_blocking(waiter, "lock", waiter.lock, "handover", 30)
    assert not pending.done()
    holder.close()
    granted = pending.result(timeout=10)
    assert granted.fence > first.fence
    first.release()  # the connection is closed: nothing to send, no error
