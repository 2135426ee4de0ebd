"""Protocol v1 without I/O: URLs, frames, and turning replies into values or errors.

The blocking and the asyncio client both use this module, so they cannot drift apart.
"""

from __future__ import annotations

import base64
import binascii
import json
import math
from dataclasses import dataclass
from typing import Any, Callable, Dict, Optional, Union
from urllib.parse import quote, urlsplit, urlunsplit

from ._models import Release, StoredData, Welcome
from .errors import CheckpointFailedError, ProtocolError, TestSyncError

SUBPROTOCOL = "testsync.v1"

#: Pass as a ``timeout`` to wait without a bound (the protocol's ``timeout_ms: 0``).
FOREVER = math.inf

_NOTHING: Any = object()

RequestId = Union[int, str]


@dataclass(frozen=True)
class Frame:
    """One text frame from the server, split into the envelope's fields."""

    command: str
    id: Optional[RequestId]
    content: Any


def register_url(base_url: str, run_id: str, agent: Optional[str]) -> str:
    """``ws://host:port`` (or with a path prefix, behind a proxy) -> ``…/register/<run>?agent=<name>``."""
    if not isinstance(run_id, str) or not run_id:
        raise ValueError("run_id must be a non-empty string (1-128 characters from A-Z a-z 0-9 . _ -)")
    parts = urlsplit(base_url)
    if parts.scheme not in ("ws", "wss"):
        raise ValueError(f"url must start with ws:// or wss:// (got {base_url!r}), e.g. ws://localhost:9105")
    if not parts.netloc:
        raise ValueError(f"url {base_url!r} has no host, e.g. ws://localhost:9105")
    path = parts.path.rstrip("/") + "/register/" + quote(run_id, safe="")
    query = "" if agent is None else "agent=" + quote(agent, safe="")
    return urlunsplit((parts.scheme, parts.netloc, path, query, ""))


def basic_auth(username: Optional[str], password: Optional[str]) -> Optional[str]:
    """The ``Authorization`` header value, or None when no credentials are given (protected mode)."""
    if username is None and password is None:
        return None
    if username is None or password is None:
        raise ValueError("give both username and password, or neither (the server's protected mode)")
    token = base64.b64encode(f"{username}:{password}".encode("utf-8")).decode("ascii")
    return "Basic " + token


def encode(command: str, request_id: RequestId, content: Any = _NOTHING) -> str:
    """The envelope as compact JSON text; non-ASCII stays UTF-8 (the server keeps bytes verbatim)."""
    envelope: Dict[str, Any] = {"command": command, "id": request_id}
    if content is not _NOTHING:
        envelope["content"] = content
    return json.dumps(envelope, separators=(",", ":"), ensure_ascii=False, allow_nan=False)


def decode(text: str) -> Frame:
    """Parse a server frame; anything that is not an envelope is a :class:`ProtocolError`."""
    try:
        obj = json.loads(text)
    except ValueError as e:
        raise ProtocolError(f"server sent a text frame that is not JSON: {text[:200]!r}") from e
    if not isinstance(obj, dict) or not isinstance(obj.get("command"), str):
        raise ProtocolError(f"server sent a frame without a string command: {text[:200]!r}")
    return Frame(obj["command"], obj.get("id"), obj.get("content"))


def welcome(frame: Frame) -> Welcome:
    """The first frame of a v1 connection, or a ProtocolError saying what came instead."""
    c = frame.content
    if frame.command != "welcome" or not isinstance(c, dict):
        raise ProtocolError(f"expected the welcome frame first, got command {frame.command!r}")
    return Welcome(
        protocol=str(c.get("protocol", "")),
        run=str(c.get("run", "")),
        agent=str(c.get("agent", "")),
        connection=str(c.get("connection", "")),
        server_time_ms=int(c.get("server_time_ms", 0)),
        limits=dict(c.get("limits") or {}),
    )


def error(content: Any) -> TestSyncError:
    """An ``error`` frame's content as the exception to raise."""
    if not isinstance(content, dict):
        return ProtocolError(f"error frame without an object content: {content!r}")
    return TestSyncError(str(content.get("code", "")), str(content.get("error", "")), str(content.get("command", "")))


def timeout_ms(timeout: Optional[float], name: str = "timeout") -> Optional[int]:
    """Seconds -> the protocol's ``timeout_ms``: None = server default, FOREVER = 0 (no bound)."""
    if timeout is None:
        return None
    if isinstance(timeout, bool) or not isinstance(timeout, (int, float)) or math.isnan(timeout):
        raise TypeError(f"{name} must be a number of seconds, None (server default) or testsync.FOREVER")
    if timeout == math.inf:
        return 0
    if timeout <= 0:
        raise ValueError(f"{name} must be more than 0 seconds (got {timeout!r}); "
                         "use testsync.FOREVER to wait without a bound")
    return max(1, math.ceil(timeout * 1000))


def content_of(frame: Frame, command: str) -> Dict[str, Any]:
    """The reply's content for ``command``; an error frame becomes its exception."""
    if frame.command == "error":
        raise error(frame.content)
    if frame.command != command or not isinstance(frame.content, dict):
        raise ProtocolError(f"expected a {command!r} reply, got {frame.command!r}: {frame.content!r}", command)
    return frame.content


def field(content: Dict[str, Any], name: str, command: str) -> Any:
    """A required field of a reply; its absence is the server's bug, said plainly."""
    if name not in content:
        raise ProtocolError(f"reply has no {name!r}: {content!r}", command)
    return content[name]


def stored_data(content: Dict[str, Any]) -> StoredData:
    """A v1 ``read_data`` reply -> StoredData (JSON value, or the bytes of non-JSON data)."""
    if not content.get("exists"):
        return StoredData(exists=False)
    content_type = content.get("content_type")
    if "data" in content:
        return StoredData(True, content_type, content["data"], None)
    try:
        raw = base64.b64decode(field(content, "data_base64", "read_data"), validate=True)
    except (binascii.Error, TypeError) as e:
        raise ProtocolError(f"read_data: data_base64 is not Base64: {e}", "read_data") from e
    return StoredData(True, content_type, None, raw)


def release(content: Dict[str, Any], received_at: float) -> Release:
    """A ``wait_checkpoint`` reply -> Release, or CheckpointFailedError when it did not complete."""
    if not content.get("finished"):
        raise CheckpointFailedError(content)
    return Release(
        identifier=str(content.get("identifier", "")),
        finished=True,
        reason=str(content.get("reason", "")),
        joined=int(content.get("joined", 0)),
        target=int(content.get("target", 0)),
        start_at=int(content.get("start_at", 0)),
        start_in_ms=max(0, int(content.get("start_in_ms", 0))),
        server_time_ms=int(content.get("server_time_ms", 0)),
        raw=dict(content),
        received_at=received_at,
    )


def int_field(name: str) -> Callable[[Dict[str, Any], str], int]:
    """A converter that takes one integer field of a reply (``seq``, ``value``, ``count`` …)."""

    def convert(content: Dict[str, Any], command: str) -> int:
        value = field(content, name, command)
        if isinstance(value, bool) or not isinstance(value, int):
            raise ProtocolError(f"reply field {name!r} is not an integer: {value!r}", command)
        return value

    return convert


def refusal(status: int, body: Any) -> str:
    """The server's JSON error body ({"code","error"}) as one sentence."""
    text = body.decode("utf-8", "replace") if isinstance(body, (bytes, bytearray)) else str(body or "")
    try:
        message = json.loads(text).get("error") or text
    except (ValueError, AttributeError):
        message = text
    return f"the server refused the connection: HTTP {status}: {message}".rstrip(": ")


def redacted(url: str) -> str:
    """The URL without its query (which names the agent), for messages."""
    return url.split("?", 1)[0]
