"""A blocking subscription: an iterator of a topic's messages, fed by the connection's reader."""

from __future__ import annotations

import collections
import threading
import time
from types import TracebackType
from typing import TYPE_CHECKING, Deque, Iterator, Optional, Type

from ._models import Message
from ._wire import Frame
from ._pending import StreamSink
from .errors import ProtocolError, TestSyncError

if TYPE_CHECKING:
    from ._sync import TestSync


def message_of(frame: Frame) -> Message:
    """A ``message`` frame's content -> Message."""
    c = frame.content
    if not isinstance(c, dict) or "seq" not in c or "payload" not in c:
        raise ProtocolError(f"message frame without seq or payload: {c!r}", "subscribe")
    return Message(str(c.get("topic", "")), int(c["seq"]), c["payload"], int(c.get("published_at_ms", 0)))


class Subscription(StreamSink):
    """Messages of one topic in seq order: iterate it, or :meth:`get` with a timeout.

    Iteration ends after :meth:`unsubscribe` (once the messages that came before it are read)
    and raises :class:`ConnectionLostError` when the connection ends. As a context manager it
    unsubscribes on exit.
    """

    def __init__(self, client: "TestSync", topic: str) -> None:
        self._client = client
        self.topic = topic
        self._cond = threading.Condition(threading.Lock())
        self._queue: Deque[Message] = collections.deque()
        self._ended: Optional[TestSyncError] = None
        self._unsubscribed = False

    def deliver(self, frame: Frame, received_at: float) -> None:
        message = message_of(frame)
        with self._cond:
            self._queue.append(message)
            self._cond.notify_all()

    def end(self, error: TestSyncError) -> None:
        with self._cond:
            if self._ended is None:
                self._ended = error
            self._cond.notify_all()

    def get(self, timeout: Optional[float] = None) -> Optional[Message]:
        """The next message; None when ``timeout`` seconds pass first or after unsubscribe."""
        deadline = None if timeout is None else time.monotonic() + timeout
        with self._cond:
            while True:
                if self._queue:
                    return self._queue.popleft()
                if self._unsubscribed:
                    return None
                if self._ended is not None:
                    raise self._ended
                left = None if deadline is None else deadline - time.monotonic()
                if left is not None and left <= 0:
                    return None
                self._cond.wait(left)

    def __iter__(self) -> Iterator[Message]:
        return self

    def __next__(self) -> Message:
        message = self.get()
        if message is None:
            raise StopIteration
        return message

    def unsubscribe(self) -> None:
        """Stop following the topic; messages that arrived before the reply can still be read."""
        if self._unsubscribed or self._ended is not None:
            return
        self._client._unsubscribe(self.topic)
        self._client._conn.pending.drop_stream(self)
        with self._cond:
            self._unsubscribed = True
            self._cond.notify_all()

    def __enter__(self) -> "Subscription":
        return self

    def __exit__(self, exc_type: Optional[Type[BaseException]], exc: Optional[BaseException],
                 tb: Optional[TracebackType]) -> None:
        if not self._client.closed:
            self.unsubscribe()
