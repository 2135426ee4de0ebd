"""Value objects the client returns: the welcome, a checkpoint release, stored data, a message."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Mapping, Optional


@dataclass(frozen=True)
class Welcome:
    """The server's first frame on a v1 connection: who this connection is, and the server's limits."""

    protocol: str
    run: str
    agent: str
    connection: str
    server_time_ms: int
    limits: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Release:
    """A completed checkpoint's release. ``raw`` is the frame's ``content`` exactly as received."""

    identifier: str
    finished: bool
    reason: str
    joined: int
    target: int
    start_at: int
    start_in_ms: int
    server_time_ms: int
    raw: Mapping[str, Any]
    #: ``time.monotonic()`` when the release frame arrived; resuming is due ``start_in_ms`` after it.
    received_at: float

    @property
    def resume_at(self) -> float:
        """The ``time.monotonic()`` instant at which every member resumes."""
        return self.received_at + self.start_in_ms / 1000.0


@dataclass(frozen=True)
class StoredData:
    """The run's data as ``read_data`` found it.

    ``value`` is the stored JSON value (``None`` when there is no data, or it is not JSON);
    ``raw`` holds the bytes when the data is not JSON (for example an image POSTed over HTTP).
    """

    exists: bool
    content_type: Optional[str] = None
    value: Any = None
    raw: Optional[bytes] = None

    @property
    def is_json(self) -> bool:
        """True when the stored bytes are a JSON value (always so for data set over WebSocket)."""
        return self.exists and self.raw is None


@dataclass(frozen=True)
class Message:
    """One published message of a topic, as a subscription delivers it."""

    topic: str
    seq: int
    payload: Any
    published_at_ms: int


@dataclass(frozen=True)
class LockGrant:
    """A granted lock: ``fence`` grows with every grant of that lock (a fencing token)."""

    name: str
    fence: int
