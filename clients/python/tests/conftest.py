"""Fixtures: the real server jar for the session, a fresh run id per test, and a client factory."""

from __future__ import annotations

import uuid
from typing import Any, Callable, Iterator, List

import pytest

from testsync import TestSync

from _server import PASSWORD, USERNAME, ServerProcess, jar_path


@pytest.fixture(scope="session")
def server() -> Iterator[ServerProcess]:
    jar = jar_path()
    if not jar.is_file():
        pytest.fail(f"server jar {jar} not found: build it with `mvn -q -o -DskipTests package -pl server -am` "
                    "or set TESTSYNC_JAR", pytrace=False)
    process = ServerProcess(jar).start()
    yield process
    process.stop()


@pytest.fixture
def own_server() -> Iterator[ServerProcess]:
    """A server of this test alone, for tests that kill or stop it."""
    process = ServerProcess(jar_path()).start()
    yield process
    process.kill()


@pytest.fixture
def run_id() -> str:
    return "py-" + uuid.uuid4().hex[:12]


Connect = Callable[..., TestSync]


@pytest.fixture
def connect(server: ServerProcess, run_id: str) -> Iterator[Connect]:
    """``connect(agent=None, **kw)``: a client of this test's run; all are closed after the test."""
    opened: List[TestSync] = []

    def open_client(agent: Any = None, **kw: Any) -> TestSync:
        kw.setdefault("run_id", run_id)
        client = TestSync.connect(kw.pop("url", server.ws_url), kw.pop("run_id"), USERNAME, PASSWORD, agent, **kw)
        opened.append(client)
        return client

    yield open_client
    for client in opened:
        client.close()
