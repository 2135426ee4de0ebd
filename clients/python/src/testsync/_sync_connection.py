"""The blocking side's socket: websocket-client, one reader thread, waiters on threading.Event.

Under Locust, gevent has monkey-patched ``socket`` and ``threading`` before any connection is
made, so the reader "thread" is a greenlet and every wait here yields to the other users.
Nothing is looked up from those modules at import time for that reason.
"""

from __future__ import annotations

import logging
import struct
import threading
import time
from typing import TYPE_CHECKING, Any, Optional, Tuple

from . import _wire
from ._models import Welcome
from ._pending import Pending, StreamSink
from ._wire import Frame, redacted, refusal
from .errors import ConnectError, ConnectionLostError, ProtocolError, ReplyTimeoutError, TestSyncError

if TYPE_CHECKING:
    import websocket

log = logging.getLogger("testsync")


class _Waiter:
    """One command's reply slot."""

    __slots__ = ("event", "frame", "received_at", "error")

    def __init__(self) -> None:
        self.event = threading.Event()
        self.frame: Optional[Frame] = None
        self.received_at = 0.0
        self.error: Optional[TestSyncError] = None


def _resolve(w: _Waiter, frame: Frame, at: float) -> None:
    w.frame, w.received_at = frame, at
    w.event.set()


def _fail(w: _Waiter, error: TestSyncError) -> None:
    w.error = error
    w.event.set()


class SyncConnection:
    """An open v1 connection; :meth:`request` sends a command and blocks until its one reply."""

    def __init__(self, ws: "websocket.WebSocket", welcome: Welcome) -> None:
        self._ws = ws
        self.welcome = welcome
        self._closing = False
        self.pending: Pending[_Waiter, StreamSink] = Pending(
            _resolve, _fail, lambda s, f, at: s.deliver(f, at), lambda s, e: s.end(e))
        self._reader = threading.Thread(target=self._read_loop, name=f"testsync-{welcome.agent}", daemon=True)
        self._reader.start()

    @classmethod
    def open(cls, url: str, authorization: Optional[str], connect_timeout: float) -> "SyncConnection":
        """Upgrade with ``testsync.v1`` offered and read the welcome, or raise ConnectError."""
        import websocket  # here, not at import: see the module docstring (and ssl under gevent)

        # The offer goes in as a plain header, not subprotocols=[…]: websocket-client would turn an
        # old server's missing answer into "Invalid WebSocket Header"; checked below, it gets a clear error.
        headers = ["Sec-WebSocket-Protocol: " + _wire.SUBPROTOCOL]
        if authorization is not None:
            headers.append("Authorization: " + authorization)
        ws = websocket.WebSocket(enable_multithread=True)
        try:
            ws.connect(url, header=headers, timeout=connect_timeout, suppress_origin=True)
        except websocket.WebSocketBadStatusException as e:
            raise ConnectError(refusal(e.status_code, e.resp_body), e.status_code) from None
        except (OSError, websocket.WebSocketException) as e:
            raise ConnectError(f"cannot connect to {redacted(url)}: {e}") from e
        try:
            if (ws.getheaders() or {}).get("sec-websocket-protocol") != _wire.SUBPROTOCOL:
                raise ConnectError(f"the server at {redacted(url)} did not select protocol {_wire.SUBPROTOCOL}; "
                                   "it is older than this client: upgrade the server")
            opcode, data = ws.recv_data()
            if opcode != websocket.ABNF.OPCODE_TEXT:
                raise ProtocolError(f"expected the welcome text frame, got opcode {opcode}")
            welcome = _wire.welcome(_wire.decode(data.decode("utf-8")))
            ws.settimeout(None)  # from here on the reader blocks until a frame or the end
        except (OSError, websocket.WebSocketException) as e:
            ws.shutdown()
            raise ConnectError(f"connection to {redacted(url)} ended before the welcome frame: {e}") from e
        except TestSyncError:
            ws.shutdown()
            raise
        return cls(ws, welcome)

    @property
    def closed(self) -> bool:
        """True once the connection has ended, for whatever reason."""
        return self.pending.lost is not None

    def request(self, command: str, content: Any = _wire._NOTHING, wait: Optional[float] = None,
                stream: Optional[StreamSink] = None) -> Tuple[Frame, float]:
        """Send one command, block until its reply (frame, arrival time); ``wait`` None = no bound."""
        waiter = _Waiter()
        request_id = self.pending.add(command, waiter, stream)
        self.send(_wire.encode(command, request_id, content))
        if not waiter.event.wait(wait):
            self.pending.abandon(request_id)
            raise ReplyTimeoutError(command, wait or 0)
        if waiter.error is not None:
            raise waiter.error
        assert waiter.frame is not None
        return waiter.frame, waiter.received_at

    def send(self, text: str) -> None:
        """Send one text frame; a broken socket fails everything with ConnectionLostError."""
        import websocket

        try:
            self._ws.send(text)
        except (OSError, websocket.WebSocketException) as e:
            self._end(ConnectionLostError(f"sending failed, the connection is gone: {e}"))
            lost = self.pending.lost
            assert lost is not None
            raise lost from None

    def close(self, timeout: float) -> None:
        """Ask the server to close (the 1000 close frame is the reply), wait for it, drop the socket."""
        if self.closed or self._closing:
            return
        self._closing = True
        try:
            self._ws.send(_wire.encode("close", 0))
        except Exception:  # already broken: the reader reports it
            pass
        if threading.current_thread() is not self._reader:
            self._reader.join(timeout)
        self._ws.abort()
        self._ws.shutdown()
        self._end(ConnectionLostError("the connection was closed by close()", 1000))

    def _read_loop(self) -> None:
        import websocket

        error: TestSyncError
        try:
            while True:
                opcode, data = self._ws.recv_data()  # answers pings itself
                received_at = time.monotonic()
                if opcode == websocket.ABNF.OPCODE_CLOSE:
                    code, reason = _close_fields(data)
                    error = self._close_error(code, reason)
                    break
                if opcode != websocket.ABNF.OPCODE_TEXT:
                    log.warning("testsync: ignoring a binary frame (%d bytes); v1 sends text only", len(data))
                    continue
                try:
                    frame = _wire.decode(data.decode("utf-8"))
                except (TestSyncError, UnicodeDecodeError) as e:
                    log.warning("testsync: %s", e)
                    continue
                try:
                    self.pending.dispatch(frame, received_at)
                except TestSyncError as e:  # one malformed message must not end the connection
                    log.warning("testsync: %s", e)
        except (OSError, websocket.WebSocketException, ValueError) as e:
            error = (ConnectionLostError("the connection was closed by close()", 1000) if self._closing
                     else ConnectionLostError(f"the connection to the server broke: {e or type(e).__name__}"))
        except BaseException as e:  # a bug in a callback: still fail the waiters, then surface it
            self._end(ConnectionLostError(f"the reader stopped: {e!r}"))
            raise
        self._end(error)
        self._ws.shutdown()

    def _close_error(self, code: Optional[int], reason: str) -> ConnectionLostError:
        if self._closing:
            return ConnectionLostError("the connection was closed by close()", code, reason)
        text = f"the server closed the connection ({code}{': ' + reason if reason else ''})"
        return ConnectionLostError(text, code, reason)

    def _end(self, error: TestSyncError) -> None:
        self.pending.fail_all(error)


def _close_fields(data: bytes) -> Tuple[Optional[int], str]:
    if len(data) < 2:
        return None, ""
    return struct.unpack("!H", data[:2])[0], data[2:].decode("utf-8", "replace")
