"""A server that accepts, welcomes and then never answers: what only a stand-in can be.

The stand-in is the ``websockets`` library's own server, not hand-written framing.
"""

from __future__ import annotations

import asyncio
import json
import threading
from typing import Any, Iterator

import pytest

from testsync import AsyncTestSync, ReplyTimeoutError, TestSync

WELCOME = json.dumps({"command": "welcome", "content": {"protocol": "testsync.v1", "run": "r", "agent": "a",
                                                       "connection": "c1", "server_time_ms": 1, "limits": {}}})


@pytest.fixture
def silent_server() -> Iterator[str]:
    from websockets.asyncio.server import serve

    ready = threading.Event()
    state: Any = {}

    async def handler(ws: Any) -> None:
        await ws.send(WELCOME)
        async for _ in ws:  # read and never answer
            pass

    async def main() -> None:
        async with serve(handler, "127.0.0.1", 0, subprotocols=["testsync.v1"]) as srv:
            state["port"] = srv.sockets[0].getsockname()[1]
            state["stop"] = asyncio.get_running_loop().create_future()
            state["loop"] = asyncio.get_running_loop()
            ready.set()
            await state["stop"]

    thread = threading.Thread(target=lambda: asyncio.run(main()), daemon=True)
    thread.start()
    assert ready.wait(10)
    yield f"ws://127.0.0.1:{state['port']}"
    state["loop"].call_soon_threadsafe(state["stop"].set_result, None)
    thread.join(10)


def test_blocking_call_without_reply_raises_reply_timeout(silent_server):
    client = TestSync.connect(silent_server, "r", reply_timeout=0.3)
    with pytest.raises(ReplyTimeoutError) as e:
        client.counter("c")
    assert (e.value.code, e.value.command) == ("reply_timeout", "counter")
    assert not client.closed  # the connection itself is fine
    client.close(timeout=0.5)


def test_async_call_without_reply_raises_reply_timeout(silent_server):
    async def main() -> None:
        client = await AsyncTestSync.connect(silent_server, "r", reply_timeout=0.3)
        with pytest.raises(ReplyTimeoutError) as e:
            await client.signal_entry("s")
        assert e.value.command == "signal_entry"
        await client.close(timeout=0.5)

    asyncio.run(main())
