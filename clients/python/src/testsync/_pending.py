"""The table of commands waiting for their reply, shared by the blocking and the asyncio connection.

One reader delivers frames; whoever sent a command waits on its entry. When the connection
ends, :meth:`Pending.fail_all` fails every entry and every stream at once: no call is left
hanging on a dead socket.
"""

from __future__ import annotations

import itertools
import logging
import threading
from typing import Any, Callable, Dict, Generic, Optional, Tuple, TypeVar

from ._wire import Frame, RequestId
from .errors import TestSyncError

log = logging.getLogger("testsync")


class StreamSink:
    """Where a subscription's ``message`` frames go: the Subscription implements these two."""

    def deliver(self, frame: Frame, received_at: float) -> None:
        raise NotImplementedError

    def end(self, error: TestSyncError) -> None:
        raise NotImplementedError


W = TypeVar("W")  # a waiter: something that can be resolved with a frame or failed with an error
S = TypeVar("S")  # a stream sink (a subscription)


class Pending(Generic[W, S]):
    """Request ids -> waiters, subscription ids -> sinks; thread-safe; fails everything on loss."""

    def __init__(self, resolve: Callable[[W, Frame, float], None], fail: Callable[[W, TestSyncError], None],
                 deliver: Callable[[S, Frame, float], None], end: Callable[[S, TestSyncError], None]) -> None:
        self._ids = itertools.count(1)
        # threading.Lock is looked up now, not at import: under gevent's monkey-patching it is cooperative.
        self._lock = threading.Lock()
        self._waiters: Dict[RequestId, Tuple[str, W]] = {}
        self._streams: Dict[RequestId, S] = {}
        self._abandoned: Dict[RequestId, str] = {}
        self._lost: Optional[TestSyncError] = None
        self._resolve, self._fail, self._deliver, self._end = resolve, fail, deliver, end
        #: Called with (command, content) when a reply comes for a request the caller gave up on.
        self.on_abandoned_reply: Optional[Callable[[str, Any], None]] = None

    @property
    def lost(self) -> Optional[TestSyncError]:
        """The error the connection ended with, or None while it is open."""
        return self._lost

    def add(self, command: str, waiter: W, stream: Optional[S] = None) -> RequestId:
        """A new id with its waiter (and the stream its later frames go to); raises when lost."""
        with self._lock:
            if self._lost is not None:
                raise self._lost
            request_id = next(self._ids)
            self._waiters[request_id] = (command, waiter)
            if stream is not None:
                self._streams[request_id] = stream
            return request_id

    def abandon(self, request_id: RequestId) -> None:
        """The caller stopped waiting (reply timeout); a late reply is dropped, or undone when needed."""
        with self._lock:
            entry = self._waiters.pop(request_id, None)
            self._streams.pop(request_id, None)
            if entry is not None:
                self._abandoned[request_id] = entry[0]

    def drop_stream(self, stream: S) -> None:
        """Stop routing ``message`` frames to that subscription (after its unsubscribe reply)."""
        with self._lock:
            for request_id in [i for i, s in self._streams.items() if s is stream]:
                del self._streams[request_id]

    def dispatch(self, frame: Frame, received_at: float) -> None:
        """Route one frame from the reader to its waiter or stream."""
        if frame.command == "message":
            with self._lock:
                stream = self._streams.get(frame.id) if frame.id is not None else None
            if stream is not None:
                self._deliver(stream, frame, received_at)
            else:
                log.debug("testsync: message for a subscription that is gone (id %r)", frame.id)
            return
        if frame.id is None:
            if frame.command == "error":
                log.warning("testsync: server error not tied to a request: %r", frame.content)
            else:
                log.debug("testsync: ignoring frame without id: %s", frame.command)
            return
        with self._lock:
            entry = self._waiters.pop(frame.id, None)
            abandoned = self._abandoned.pop(frame.id, None) if entry is None else None
            if entry is not None and frame.command == "error":
                self._streams.pop(frame.id, None)
        if entry is not None:
            self._resolve(entry[1], frame, received_at)
        elif abandoned is not None and self.on_abandoned_reply is not None:
            self.on_abandoned_reply(abandoned, frame.content)
        else:
            log.debug("testsync: reply for an unknown request id %r", frame.id)

    def fail_all(self, error: TestSyncError) -> None:
        """The connection ended: fail every waiter and end every stream with ``error``, once."""
        with self._lock:
            if self._lost is not None:
                return
            self._lost = error
            waiters = [w for _, w in self._waiters.values()]
            streams = list(self._streams.values())
            self._waiters.clear()
            self._streams.clear()
            self._abandoned.clear()
        for waiter in waiters:
            self._fail(waiter, error)
        for stream in streams:
            self._end(stream, error)
