"""The blocking client: one connection to one run, safe to share between threads (and greenlets)."""

from __future__ import annotations

import time
from types import TracebackType
from typing import Any, Callable, Dict, Optional, Type, TypeVar

from . import _wire
from ._models import LockGrant, Release, StoredData, Welcome
from ._sync_connection import SyncConnection
from ._sync_subscription import Subscription
from .errors import LockTimeoutError

T = TypeVar("T")


class TestSync:
    """A connected agent of one run. Open with :meth:`connect`; use as a context manager to close."""

    __test__ = False  # the name starts with "Test": keep pytest from collecting it

    def __init__(self, connection: SyncConnection, reply_timeout: float) -> None:
        self._conn = connection
        self._reply_timeout = reply_timeout
        connection.pending.on_abandoned_reply = self._undo_late_grant

    @classmethod
    def connect(cls, url: str, run_id: str, username: Optional[str] = None, password: Optional[str] = None,
                agent: Optional[str] = None, *, connect_timeout: float = 10.0,
                reply_timeout: float = 60.0) -> "TestSync":
        """Connect to ``url`` (``ws://host:ws_port``) as an agent of ``run_id``, speaking protocol v1.

        ``agent`` names this connection in logs and failed releases (default: the server's
        ``agent-<n>``). ``reply_timeout`` bounds the wait for a reply to a command that does not
        wait by design (all but ``checkpoint`` and ``lock``). Raises :class:`ConnectError`.
        """
        url = _wire.register_url(url, run_id, agent)
        return cls(SyncConnection.open(url, _wire.basic_auth(username, password), connect_timeout), reply_timeout)

    @property
    def welcome(self) -> Welcome:
        """The server's welcome: run, agent name, connection id, server time and limits."""
        return self._conn.welcome

    @property
    def closed(self) -> bool:
        """True once the connection has ended (closed here, by the server, or broken)."""
        return self._conn.closed

    def set_data(self, value: Any) -> int:
        """Replace the run's data with ``value`` as JSON; returns the stored size in bytes, once durable."""
        return self._call("update_data", value, _wire.int_field("bytes"))

    def read_data(self) -> StoredData:
        """The run's data with its content type (also data POSTed over HTTP, JSON or not)."""
        frame, _ = self._conn.request("read_data", wait=self._reply_timeout)
        return _wire.stored_data(_wire.content_of(frame, "read_data"))

    def data(self, default: Any = None) -> Any:
        """The run's data as a JSON value; ``default`` when there is none; ``bytes`` when it is not JSON."""
        stored = self.read_data()
        if not stored.exists:
            return default
        return stored.raw if stored.raw is not None else stored.value

    def connection_count(self) -> int:
        """How many connections the run has now, this one included."""
        return self._call("get_connection_count", _wire._NOTHING, _wire.int_field("count"))

    def checkpoint(self, identifier: str, target: int, timeout: Optional[float] = None, *,
                   fail_on_leave: bool = False, wait_for_start: bool = True) -> Release:
        """Wait until ``target`` agents have joined ``identifier``, then until the common start instant.

        ``timeout`` is in seconds (None: the server's default, ``FOREVER``: no bound). With
        ``fail_on_leave`` a member whose connection closes fails the checkpoint for all at once.
        Returns the release (``wait_for_start=False`` returns on arrival; ``release.resume_at``
        then says when to go). Raises :class:`CheckpointFailedError` when it did not complete.
        """
        content: Dict[str, Any] = {"identifier": identifier, "target_count": target}
        ms = _wire.timeout_ms(timeout)
        if ms is not None:
            content["timeout_ms"] = ms
        if fail_on_leave:
            content["fail_on_leave"] = True
        frame, received_at = self._conn.request("wait_checkpoint", content, wait=self._blocking_wait(ms))
        release = _wire.release(_wire.content_of(frame, "wait_checkpoint"), received_at)
        if wait_for_start:
            _sleep_until(release.resume_at)
        return release

    def signal_entry(self, state: str) -> int:
        """Take the next number of ``state`` in this run: 1, 2, 3 … in arrival order, never reused."""
        return self._call("signal_entry", {"state": state}, _wire.int_field("seq"))

    def counter(self, name: str, add: int = 0) -> int:
        """Add ``add`` to the run's counter ``name`` atomically and return the new value (0 reads it)."""
        return self._call("counter", {"name": name, "add": add}, _wire.int_field("value"))

    def publish(self, topic: str, payload: Any) -> int:
        """Publish ``payload`` (any JSON value, None included) on ``topic``; returns its seq."""
        return self._call("publish", {"topic": topic, "payload": payload}, _wire.int_field("seq"))

    def subscribe(self, topic: str, from_seq: int = 1) -> Subscription:
        """Follow ``topic`` from ``from_seq``: earlier messages are replayed, then live ones, in order."""
        subscription = Subscription(self, topic)
        frame, _ = self._conn.request("subscribe", {"topic": topic, "from_seq": from_seq},
                                      wait=self._reply_timeout, stream=subscription)
        _wire.content_of(frame, "subscribe")
        return subscription

    def lock(self, name: str, timeout: Optional[float] = None) -> "HeldLock":
        """Wait for the run's lock ``name`` (granted in the order asked) and hold it.

        Use as ``with ts.lock("account", timeout=30) as held: …`` (released on exit) or keep the
        returned :class:`HeldLock` and call ``release()``. Raises :class:`LockTimeoutError`.
        """
        content: Dict[str, Any] = {"name": name}
        ms = _wire.timeout_ms(timeout)
        if ms is not None:
            content["timeout_ms"] = ms
        frame, _ = self._conn.request("lock", content, wait=self._blocking_wait(ms))
        reply = _wire.content_of(frame, "lock")
        if not reply.get("acquired"):
            raise LockTimeoutError(name, reply)
        return HeldLock(self, LockGrant(name, _wire.int_field("fence")(reply, "lock")))

    def unlock(self, name: str) -> None:
        """Release the lock ``name`` this connection holds; the next waiter is granted."""
        self._call("unlock", {"name": name}, lambda c, cmd: _wire.field(c, "released", cmd))

    def close(self, timeout: float = 3.0) -> None:
        """Close the connection: locks are released, waits fail with ConnectionLostError (code 1000)."""
        self._conn.close(timeout)

    def __enter__(self) -> "TestSync":
        return self

    def __exit__(self, exc_type: Optional[Type[BaseException]], exc: Optional[BaseException],
                 tb: Optional[TracebackType]) -> None:
        self.close()

    def _call(self, command: str, content: Any, convert: Callable[[Dict[str, Any], str], T]) -> T:
        frame, _ = self._conn.request(command, content, wait=self._reply_timeout)
        return convert(_wire.content_of(frame, command), command)

    def _blocking_wait(self, ms: Optional[int]) -> Optional[float]:
        # The server bounds the wait; the client only guards against a server that never answers.
        return None if not ms else ms / 1000.0 + self._reply_timeout

    def _unsubscribe(self, topic: str) -> None:
        self._call("unsubscribe", {"topic": topic}, lambda c, cmd: _wire.field(c, "unsubscribed", cmd))

    def _undo_late_grant(self, command: str, content: Any) -> None:
        # A lock granted after its caller gave up would block every other agent: hand it back.
        if command == "lock" and isinstance(content, dict) and content.get("acquired"):
            self._conn.send(_wire.encode("unlock", "late-grant", {"name": content.get("name")}))


class HeldLock:
    """A granted lock: ``fence`` is its fencing token; ``release()`` (or leaving ``with``) unlocks it."""

    def __init__(self, client: TestSync, grant: LockGrant) -> None:
        self._client = client
        self.grant = grant
        self.released = False

    @property
    def name(self) -> str:
        """The lock's name."""
        return self.grant.name

    @property
    def fence(self) -> int:
        """The fencing token of this grant: larger than that of every earlier grant of the lock."""
        return self.grant.fence

    def release(self) -> None:
        """Unlock; a second call does nothing. A closed connection has released it already."""
        if self.released:
            return
        self.released = True
        if not self._client.closed:
            self._client.unlock(self.name)

    def __enter__(self) -> "HeldLock":
        return self

    def __exit__(self, exc_type: Optional[Type[BaseException]], exc: Optional[BaseException],
                 tb: Optional[TracebackType]) -> None:
        self.release()


def _sleep_until(instant: float) -> None:
    # time.sleep is gevent's under Locust; in a loop because a sleep may end a little early.
    while True:
        left = instant - time.monotonic()
        if left <= 0:
            return
        time.sleep(left)
