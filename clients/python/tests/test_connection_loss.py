"""Connection loss fails every pending call at once: a killed server, a stopping server, close()."""

from __future__ import annotations

import threading
import time

import pytest

from testsync import ConnectionLostError, TestSync

from _helpers import start_blocking, start_checkpoint
from _server import PASSWORD, USERNAME


def _clients(server, run_id, n):
    return [TestSync.connect(server.ws_url, run_id, USERNAME, PASSWORD, f"loss-{i}") for i in range(n)]


def test_a_killed_server_fails_every_pending_call_within_1_s(own_server, run_id):
    a, b, c = _clients(own_server, run_id, 3)
    waits = [start_checkpoint(x, "doomed", target=10, timeout=120) for x in (a, b)]
    c.lock("held", timeout=10)
    lock_wait = start_blocking(a, "lock", a.lock, "held", 120)
    sub = b.subscribe("quiet")
    ended = []
    reader = threading.Thread(target=lambda: ended.append(_drain(sub)))
    reader.start()

    killed_at = time.monotonic()
    own_server.kill()
    for pending in waits + [lock_wait]:
        error = pending.exception(timeout=5)
        assert isinstance(error, ConnectionLostError), error
        assert error.code == "connection_lost" and error.close_code is None
    reader.join(5)
    failed_within = time.monotonic() - killed_at
    assert isinstance(ended[0], ConnectionLostError)
    assert failed_within < 1.0, f"took {failed_within:.3f} s"
    print(f"killed server: every pending call failed within {failed_within * 1000:.0f} ms")
    assert a.closed and b.closed
    with pytest.raises(ConnectionLostError):
        a.connection_count()


def test_a_stopping_server_fails_waits_with_close_code_1012(own_server, run_id):
    (a,) = _clients(own_server, run_id, 1)
    wait = start_checkpoint(a, "restart", target=2, timeout=120)
    stopped_at = time.monotonic()
    assert own_server.stop() == 0
    error = wait.exception(timeout=5)
    assert isinstance(error, ConnectionLostError)
    assert error.close_code == 1012
    assert "1012" in str(error)
    assert time.monotonic() - stopped_at < 15


def test_close_fails_the_own_pending_waits_with_1000(connect):
    client = connect()
    wait = start_checkpoint(client, "abandoned", target=2, timeout=120)
    client.close()
    error = wait.exception(timeout=5)
    assert isinstance(error, ConnectionLostError) and error.close_code == 1000


def _drain(sub):
    try:
        for _ in sub:
            pass
    except ConnectionLostError as e:
        return e
    return None
