"""Pieces of the asyncio client: awaitable context managers, subscriptions and held locks."""

from __future__ import annotations

import asyncio
import collections
from types import TracebackType
from typing import (TYPE_CHECKING, Any, AsyncIterator, Awaitable, Callable, Deque, Generator, Generic, Optional,
                    Type, TypeVar)

from ._models import LockGrant, Message
from ._pending import StreamSink
from ._sync_subscription import message_of
from ._wire import Frame
from .errors import TestSyncError

if TYPE_CHECKING:
    from ._async import AsyncTestSync

T = TypeVar("T")


class AwaitableContext(Generic[T]):
    """``x = await call()`` or ``async with call() as x:`` — the exit runs ``leave(x)``."""

    def __init__(self, start: Callable[[], Awaitable[T]], leave: Callable[[T], Awaitable[None]]) -> None:
        self._start, self._leave = start, leave
        self._value: Optional[T] = None

    def __await__(self) -> Generator[Any, None, T]:
        return self._start().__await__()

    async def __aenter__(self) -> T:
        self._value = await self._start()
        return self._value

    async def __aexit__(self, exc_type: Optional[Type[BaseException]], exc: Optional[BaseException],
                        tb: Optional[TracebackType]) -> None:
        if self._value is not None:
            await self._leave(self._value)


class AsyncSubscription(StreamSink):
    """Messages of one topic in seq order: ``async for`` it, or ``await get(timeout)``.

    Iteration ends after :meth:`unsubscribe` (once earlier messages are read) and raises
    :class:`ConnectionLostError` when the connection ends.
    """

    def __init__(self, client: "AsyncTestSync", topic: str) -> None:
        self._client = client
        self.topic = topic
        self._queue: Deque[Message] = collections.deque()
        self._changed = asyncio.Event()
        self._ended: Optional[TestSyncError] = None
        self._unsubscribed = False

    def deliver(self, frame: Frame, received_at: float) -> None:
        self._queue.append(message_of(frame))
        self._changed.set()

    def end(self, error: TestSyncError) -> None:
        if self._ended is None:
            self._ended = error
        self._changed.set()

    async def get(self, timeout: Optional[float] = None) -> Optional[Message]:
        """The next message; None when ``timeout`` seconds pass first or after unsubscribe."""
        loop = asyncio.get_running_loop()
        deadline = None if timeout is None else loop.time() + timeout
        while True:
            if self._queue:
                return self._queue.popleft()
            if self._unsubscribed:
                return None
            if self._ended is not None:
                raise self._ended
            self._changed.clear()
            left = None if deadline is None else deadline - loop.time()
            if left is not None and left <= 0:
                return None
            try:
                await asyncio.wait_for(self._changed.wait(), left)
            except asyncio.TimeoutError:
                return None

    def __aiter__(self) -> AsyncIterator[Message]:
        return self

    async def __anext__(self) -> Message:
        message = await self.get()
        if message is None:
            raise StopAsyncIteration
        return message

    async def unsubscribe(self) -> None:
        """Stop following the topic; messages that arrived before the reply can still be read."""
        if self._unsubscribed or self._ended is not None:
            return
        await self._client._unsubscribe(self.topic)
        self._client._conn.pending.drop_stream(self)
        self._unsubscribed = True
        self._changed.set()


class AsyncHeldLock:
    """A granted lock: ``fence`` is its fencing token; ``await release()`` unlocks it."""

    def __init__(self, client: "AsyncTestSync", grant: LockGrant) -> None:
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

    async def release(self) -> None:
        """Unlock; a second call does nothing. A closed connection has released it already."""
        if self.released:
            return
        self.released = True
        if not self._client.closed:
            await self._client.unlock(self.name)
