"""Checkpoints: 20 agents on 20 threads released together, the release fields, and failures."""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from testsync import FOREVER, CheckpointFailedError, ConnectionLostError, Release

from testsync import TestSync

from _helpers import start_checkpoint
from _server import PASSWORD, USERNAME, ServerProcess, jar_path


def test_twenty_agents_on_twenty_threads_resume_together(connect):
    clients = [connect(f"agent-{i}") for i in range(20)]
    returned = {}

    def arrive(i: int) -> Release:
        release = clients[i].checkpoint("all-here", target=20, timeout=60)
        returned[i] = time.monotonic()
        return release

    with ThreadPoolExecutor(20) as pool:
        releases = list(pool.map(arrive, range(20)))

    assert {r.identifier for r in releases} == {"all-here"}
    assert all(r.finished and r.reason == "complete" for r in releases)
    assert {(r.joined, r.target) for r in releases} == {(20, 20)}
    assert len({r.start_at for r in releases}) == 1  # one start instant for all
    for i, r in enumerate(releases):
        assert returned[i] >= r.resume_at  # each waited out its start_in_ms
        assert r.raw["start_in_ms"] == r.start_in_ms and r.raw["server_time_ms"] == r.server_time_ms
        assert r.start_at - r.server_time_ms == pytest.approx(r.start_in_ms, abs=25)
    spread_ms = (max(returned.values()) - min(returned.values())) * 1000
    print(f"20-agent checkpoint: returns spread over {spread_ms:.1f} ms")


def test_a_completed_checkpoint_answers_a_late_join_at_once_with_the_same_release(connect):
    a, b, late = connect(), connect(), connect()
    with ThreadPoolExecutor(2) as pool:
        first = list(pool.map(lambda c: c.checkpoint("done", 2, timeout=30), [a, b]))
    again = late.checkpoint("done", 2, timeout=30)
    assert again.finished and again.start_at == first[0].start_at
    assert again.start_in_ms == 0


def test_wait_for_start_false_returns_on_arrival_with_resume_at(run_id):
    # A 5 s release lead on a server of its own: "returned before the start instant" holds with a
    # margin no scheduling delay of a loaded machine eats.
    lead = ServerProcess(jar_path(), {"TESTSYNC_CHECKPOINT_RELEASE_LEAD_MS": "5000"}).start()
    try:
        a, b = (TestSync.connect(lead.ws_url, run_id, USERNAME, PASSWORD) for _ in range(2))
        with ThreadPoolExecutor(2) as pool:
            timed = list(pool.map(lambda c: (c.checkpoint("early", 2, FOREVER, wait_for_start=False),
                                             time.monotonic()), [a, b]))
        for release, returned_at in timed:
            assert release.start_in_ms > 3000
            assert returned_at < release.resume_at
            assert release.resume_at == release.received_at + release.start_in_ms / 1000
        a.close()
        b.close()
    finally:
        lead.kill()


def test_timeout_fails_with_joined_and_absent_agents(connect):
    a, b = connect("joiner-a"), connect("joiner-b")
    connect("bystander-c")  # connected to the run, never joins
    joins = [start_checkpoint(c, "never-full", target=4, timeout=1.0) for c in (a, b)]
    errors = [j.exception(timeout=30) for j in joins]
    for err in errors:
        assert isinstance(err, CheckpointFailedError)
        assert err.code == "checkpoint_failed" and err.reason == "timeout"
        assert sorted(err.joined_agents) == ["joiner-a", "joiner-b"]
        assert err.absent_agents == ("bystander-c",)
        assert (err.joined, err.target) == (2, 4)
        assert err.release["finished"] is False and err.release["identifier"] == "never-full"
        assert "bystander-c" in str(err)
    # Removed after the timeout: the identifier starts afresh with a new target.
    with ThreadPoolExecutor(2) as pool:
        assert all(r.finished for r in pool.map(lambda c: c.checkpoint("never-full", 2, 30), [a, b]))


def test_fail_on_leave_releases_the_others_at_once_naming_the_lost_agent(connect):
    stays, leaves = connect("stays"), connect("leaves")
    waiting = start_checkpoint(stays, "fragile", target=3, timeout=60, fail_on_leave=True)
    lost = start_checkpoint(leaves, "fragile", target=3, timeout=60, fail_on_leave=True)
    left_at = time.monotonic()
    leaves.close()
    with pytest.raises(CheckpointFailedError) as e:
        waiting.result(timeout=10)
    failed_within = time.monotonic() - left_at
    assert e.value.reason == "participant_lost"
    assert e.value.lost == ("leaves",)
    assert "stays" in e.value.joined_agents
    assert e.value.release["finished"] is False
    assert failed_within < 1.0
    assert isinstance(lost.exception(timeout=10), ConnectionLostError)


def test_without_fail_on_leave_a_leaving_member_just_stops_counting(connect):
    a, b, c, d = connect("a"), connect("b"), connect("c"), connect("d")
    first = start_checkpoint(a, "sturdy", target=3, timeout=60)
    start_checkpoint(b, "sturdy", target=3, timeout=60)
    b.close()
    start_checkpoint(c, "sturdy", target=3, timeout=60)
    assert not first.done()  # a and c: 2 of 3, b no longer counts
    last = start_checkpoint(d, "sturdy", target=3, timeout=60)
    assert first.result(timeout=10).joined == 3
    assert last.result(timeout=10).start_at == first.result().start_at


@pytest.mark.parametrize("bad", [0, -1, float("nan"), "10"])
def test_a_timeout_must_be_positive_seconds_or_forever(connect, bad):
    client = connect()
    with pytest.raises((ValueError, TypeError), match="timeout"):
        client.checkpoint("x", 1, timeout=bad)
