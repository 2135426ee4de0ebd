"""Test helpers: start a checkpoint wait and know the server has registered the join."""

from __future__ import annotations

import threading
import time
from concurrent.futures import Future
from typing import Any, Callable

from testsync import TestSync


def start_checkpoint(client: TestSync, identifier: str, target: int, **kw: Any) -> "Future[Any]":
    """Run ``client.checkpoint`` on a thread; return once the server has taken the join."""
    return start_blocking(client, "wait_checkpoint", client.checkpoint, identifier, target, **kw)


def start_blocking(client: TestSync, command: str, call: Callable[..., Any], *args: Any, **kw: Any) -> "Future[Any]":
    """Run a call that waits (checkpoint, lock) on a thread; return once the server has taken it.

    The server runs one connection's commands in order, so a reply to a command sent after the
    join frame proves the join is registered. The hook on ``send`` only tells when that frame
    has left; nothing in the client's behaviour changes.
    """
    sent = threading.Event()
    conn = client._conn
    original = conn.send

    def send(text: str) -> None:
        original(text)
        if f'"command":"{command}"' in text:
            sent.set()

    conn.send = send  # type: ignore[method-assign]
    future: "Future[Any]" = Future()

    def run() -> None:
        try:
            future.set_result(call(*args, **kw))
        except BaseException as e:
            future.set_exception(e)

    threading.Thread(target=run, daemon=True).start()
    if not sent.wait(10):
        raise AssertionError(f"{command} was not sent within 10 s")
    conn.send = original  # type: ignore[method-assign]
    client.connection_count()  # answered only after the command before it was executed
    return future


def await_condition(condition: Callable[[], bool], seconds: float = 10.0) -> None:
    """Poll a condition (no fixed sleeps), failing the test when it does not hold in time."""
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("condition not reached in time")
        time.sleep(0.01)
