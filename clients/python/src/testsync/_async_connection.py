"""The asyncio side's socket: websockets, one reader task, waiters on futures."""

from __future__ import annotations

import asyncio
import logging
import time
from typing import TYPE_CHECKING, Any, Optional, Tuple

from . import _wire
from ._models import Welcome
from ._pending import Pending, StreamSink
from ._wire import Frame, redacted, refusal
from .errors import ConnectError, ConnectionLostError, ReplyTimeoutError, TestSyncError

if TYPE_CHECKING:
    from websockets.asyncio.client import ClientConnection

log = logging.getLogger("testsync")



def _resolve(w: "asyncio.Future[Tuple[Frame, float]]", frame: Frame, at: float) -> None:
    if not w.done():
        w.set_result((frame, at))


def _fail(w: "asyncio.Future[Tuple[Frame, float]]", error: TestSyncError) -> None:
    if not w.done():
        w.set_exception(error)


class AsyncConnection:
    """An open v1 connection; :meth:`request` sends a command and awaits its one reply."""

    def __init__(self, ws: "ClientConnection", welcome: Welcome) -> None:
        self._ws = ws
        self.welcome = welcome
        self._closing = False
        self.pending: Pending["asyncio.Future[Tuple[Frame, float]]", StreamSink] = Pending(
            _resolve, _fail, lambda s, f, at: s.deliver(f, at), lambda s, e: s.end(e))
        self._reader = asyncio.get_running_loop().create_task(self._read_loop(), name=f"testsync-{welcome.agent}")

    @classmethod
    async def open(cls, url: str, authorization: Optional[str], connect_timeout: float) -> "AsyncConnection":
        """Upgrade with ``testsync.v1`` offered and read the welcome, or raise ConnectError."""
        from websockets.asyncio.client import connect
        from websockets.exceptions import ConnectionClosed, InvalidStatus, WebSocketException
        from websockets.typing import Subprotocol

        headers = {} if authorization is None else {"Authorization": authorization}
        try:
            # max_size None: the server's own limit (limits.max_data_bytes, 10 MiB by default) bounds frames.
            ws = await connect(url, additional_headers=headers, subprotocols=[Subprotocol(_wire.SUBPROTOCOL)],
                               open_timeout=connect_timeout, max_size=None, compression=None)
        except InvalidStatus as e:
            raise ConnectError(refusal(e.response.status_code, e.response.body), e.response.status_code) from None
        except (OSError, asyncio.TimeoutError, WebSocketException) as e:
            raise ConnectError(f"cannot connect to {redacted(url)}: {e}") from e
        try:
            if ws.subprotocol != _wire.SUBPROTOCOL:
                raise ConnectError(f"the server at {redacted(url)} did not select protocol {_wire.SUBPROTOCOL}; "
                                   "it is older than this client: upgrade the server")
            first = await asyncio.wait_for(ws.recv(), connect_timeout)
            if not isinstance(first, str):
                raise ConnectError(f"expected the welcome text frame from {redacted(url)}, got binary")
            welcome = _wire.welcome(_wire.decode(first))
        except (ConnectionClosed, asyncio.TimeoutError) as e:
            await ws.close()
            raise ConnectError(f"connection to {redacted(url)} ended before the welcome frame: {e!r}") from e
        except TestSyncError:
            await ws.close()
            raise
        return cls(ws, welcome)

    @property
    def closed(self) -> bool:
        """True once the connection has ended, for whatever reason."""
        return self.pending.lost is not None

    async def request(self, command: str, content: Any = _wire._NOTHING, wait: Optional[float] = None,
                      stream: Optional[StreamSink] = None) -> Tuple[Frame, float]:
        """Send one command, await its reply (frame, arrival time); ``wait`` None = no bound."""
        waiter: "asyncio.Future[Tuple[Frame, float]]" = asyncio.get_running_loop().create_future()
        request_id = self.pending.add(command, waiter, stream)
        await self.send(_wire.encode(command, request_id, content))
        try:
            return await asyncio.wait_for(asyncio.shield(waiter), wait)
        except asyncio.TimeoutError:
            self.pending.abandon(request_id)
            raise ReplyTimeoutError(command, wait or 0) from None
        except asyncio.CancelledError:
            self.pending.abandon(request_id)  # a cancelled lock wait must not leave a grant behind
            raise

    async def send(self, text: str) -> None:
        """Send one text frame; a broken socket fails everything with ConnectionLostError."""
        from websockets.exceptions import ConnectionClosed

        try:
            await self._ws.send(text)
        except (ConnectionClosed, OSError) as e:
            self.pending.fail_all(self._lost_error(e))
            lost = self.pending.lost
            assert lost is not None
            raise lost from None

    async def close(self, timeout: float) -> None:
        """Ask the server to close (the 1000 close frame is the reply), await it, drop the socket."""
        if self.closed or self._closing:
            return
        self._closing = True
        try:
            await self._ws.send(_wire.encode("close", 0))
            await asyncio.wait_for(asyncio.shield(self._reader), timeout)
        except Exception:  # broken or slow: close from here
            pass
        await self._ws.close()
        self.pending.fail_all(ConnectionLostError("the connection was closed by close()", 1000))

    async def _read_loop(self) -> None:
        from websockets.exceptions import ConnectionClosed

        try:
            while True:
                data = await self._ws.recv()
                received_at = time.monotonic()
                if not isinstance(data, str):
                    log.warning("testsync: ignoring a binary frame (%d bytes); v1 sends text only", len(data))
                    continue
                try:
                    frame = _wire.decode(data)
                except TestSyncError as e:
                    log.warning("testsync: %s", e)
                    continue
                try:
                    self.pending.dispatch(frame, received_at)
                except TestSyncError as e:  # one malformed message must not end the connection
                    log.warning("testsync: %s", e)
        except ConnectionClosed as e:
            self.pending.fail_all(self._lost_error(e))
        except BaseException as e:
            self.pending.fail_all(ConnectionLostError(f"the reader stopped: {e!r}"))
            raise

    def _lost_error(self, e: BaseException) -> ConnectionLostError:
        rcvd = getattr(e, "rcvd", None)
        code, reason = (rcvd.code, rcvd.reason) if rcvd is not None else (None, "")
        if self._closing:
            return ConnectionLostError("the connection was closed by close()", code, reason)
        if code is None:
            return ConnectionLostError(f"the connection to the server broke: {e}")
        return ConnectionLostError(f"the server closed the connection ({code}{': ' + reason if reason else ''})",
                                   code, reason)
