"""The asyncio client: the blocking client's methods as coroutines, on the ``websockets`` library."""

from __future__ import annotations

import asyncio
import time
from types import TracebackType
from typing import Any, Callable, Dict, Optional, Type, TypeVar

from . import _wire
from ._async_connection import AsyncConnection
from ._async_parts import AsyncHeldLock, AsyncSubscription, AwaitableContext
from ._models import LockGrant, Release, StoredData, Welcome
from .errors import LockTimeoutError

T = TypeVar("T")


class AsyncTestSync:
    """A connected agent of one run, for asyncio code. ``await AsyncTestSync.connect(…)``."""

    def __init__(self, connection: AsyncConnection, reply_timeout: float) -> None:
        self._conn = connection
        self._reply_timeout = reply_timeout
        connection.pending.on_abandoned_reply = self._undo_late_grant

    @classmethod
    def connect(cls, url: str, run_id: str, username: Optional[str] = None, password: Optional[str] = None,
                agent: Optional[str] = None, *, connect_timeout: float = 10.0,
                reply_timeout: float = 60.0) -> AwaitableContext["AsyncTestSync"]:
        """Connect as an agent of ``run_id``; ``await`` it, or ``async with`` it to close on exit.

        Arguments as :meth:`TestSync.connect`. Raises :class:`ConnectError`.
        """
        full_url = _wire.register_url(url, run_id, agent)
        authorization = _wire.basic_auth(username, password)

        async def start() -> "AsyncTestSync":
            return cls(await AsyncConnection.open(full_url, authorization, connect_timeout), reply_timeout)

        return AwaitableContext(start, lambda ts: ts.close())

    @property
    def welcome(self) -> Welcome:
        """The server's welcome: run, agent name, connection id, server time and limits."""
        return self._conn.welcome

    @property
    def closed(self) -> bool:
        """True once the connection has ended (closed here, by the server, or broken)."""
        return self._conn.closed

    async def set_data(self, value: Any) -> int:
        """Replace the run's data with ``value`` as JSON; returns the stored size in bytes, once durable."""
        return await self._call("update_data", value, _wire.int_field("bytes"))

    async def read_data(self) -> StoredData:
        """The run's data with its content type (also data POSTed over HTTP, JSON or not)."""
        frame, _ = await self._conn.request("read_data", wait=self._reply_timeout)
        return _wire.stored_data(_wire.content_of(frame, "read_data"))

    async def data(self, default: Any = None) -> Any:
        """The run's data as a JSON value; ``default`` when there is none; ``bytes`` when it is not JSON."""
        stored = await self.read_data()
        if not stored.exists:
            return default
        return stored.raw if stored.raw is not None else stored.value

    async def connection_count(self) -> int:
        """How many connections the run has now, this one included."""
        return await self._call("get_connection_count", _wire._NOTHING, _wire.int_field("count"))

    async def checkpoint(self, identifier: str, target: int, timeout: Optional[float] = None, *,
                         fail_on_leave: bool = False, wait_for_start: bool = True) -> Release:
        """As :meth:`TestSync.checkpoint`: returns at the common start instant, or raises CheckpointFailedError."""
        content: Dict[str, Any] = {"identifier": identifier, "target_count": target}
        ms = _wire.timeout_ms(timeout)
        if ms is not None:
            content["timeout_ms"] = ms
        if fail_on_leave:
            content["fail_on_leave"] = True
        frame, received_at = await self._conn.request("wait_checkpoint", content, wait=self._blocking_wait(ms))
        release = _wire.release(_wire.content_of(frame, "wait_checkpoint"), received_at)
        if wait_for_start:
            await asyncio.sleep(max(0.0, release.resume_at - time.monotonic()))
        return release

    async def signal_entry(self, state: str) -> int:
        """Take the next number of ``state`` in this run: 1, 2, 3 … in arrival order, never reused."""
        return await self._call("signal_entry", {"state": state}, _wire.int_field("seq"))

    async def counter(self, name: str, add: int = 0) -> int:
        """Add ``add`` to the run's counter ``name`` atomically and return the new value (0 reads it)."""
        return await self._call("counter", {"name": name, "add": add}, _wire.int_field("value"))

    async def publish(self, topic: str, payload: Any) -> int:
        """Publish ``payload`` (any JSON value, None included) on ``topic``; returns its seq."""
        return await self._call("publish", {"topic": topic, "payload": payload}, _wire.int_field("seq"))

    def subscribe(self, topic: str, from_seq: int = 1) -> AwaitableContext[AsyncSubscription]:
        """Follow ``topic`` from ``from_seq``; ``await`` it, or ``async with`` it to unsubscribe on exit."""

        async def start() -> AsyncSubscription:
            subscription = AsyncSubscription(self, topic)
            frame, _ = await self._conn.request("subscribe", {"topic": topic, "from_seq": from_seq},
                                                wait=self._reply_timeout, stream=subscription)
            _wire.content_of(frame, "subscribe")
            return subscription

        async def leave(subscription: AsyncSubscription) -> None:
            if not self.closed:
                await subscription.unsubscribe()

        return AwaitableContext(start, leave)

    def lock(self, name: str, timeout: Optional[float] = None) -> AwaitableContext[AsyncHeldLock]:
        """Wait for the lock ``name``; ``async with ts.lock(…) as held:`` releases it on exit.

        Raises :class:`LockTimeoutError` when it is not granted within ``timeout`` seconds.
        """
        content: Dict[str, Any] = {"name": name}
        ms = _wire.timeout_ms(timeout)
        if ms is not None:
            content["timeout_ms"] = ms

        async def start() -> AsyncHeldLock:
            frame, _ = await self._conn.request("lock", content, wait=self._blocking_wait(ms))
            reply = _wire.content_of(frame, "lock")
            if not reply.get("acquired"):
                raise LockTimeoutError(name, reply)
            return AsyncHeldLock(self, LockGrant(name, _wire.int_field("fence")(reply, "lock")))

        return AwaitableContext(start, lambda held: held.release())

    async def unlock(self, name: str) -> None:
        """Release the lock ``name`` this connection holds; the next waiter is granted."""
        await self._call("unlock", {"name": name}, lambda c, cmd: _wire.field(c, "released", cmd))

    async def close(self, timeout: float = 3.0) -> None:
        """Close the connection: locks are released, waits fail with ConnectionLostError (code 1000)."""
        await self._conn.close(timeout)

    async def __aenter__(self) -> "AsyncTestSync":
        return self

    async def __aexit__(self, exc_type: Optional[Type[BaseException]], exc: Optional[BaseException],
                        tb: Optional[TracebackType]) -> None:
        await self.close()

    async def _call(self, command: str, content: Any, convert: Callable[[Dict[str, Any], str], T]) -> T:
        frame, _ = await self._conn.request(command, content, wait=self._reply_timeout)
        return convert(_wire.content_of(frame, command), command)

    def _blocking_wait(self, ms: Optional[int]) -> Optional[float]:
        return None if not ms else ms / 1000.0 + self._reply_timeout

    async def _unsubscribe(self, topic: str) -> None:
        await self._call("unsubscribe", {"topic": topic}, lambda c, cmd: _wire.field(c, "unsubscribed", cmd))

    def _undo_late_grant(self, command: str, content: Any) -> None:
        # A lock granted after its caller gave up (timeout or cancel) would block every other agent.
        if command == "lock" and isinstance(content, dict) and content.get("acquired"):
            frame = _wire.encode("unlock", "late-grant", {"name": content.get("name")})
            asyncio.get_running_loop().create_task(self._conn.send(frame))
