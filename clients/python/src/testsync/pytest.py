"""pytest plugin: a ``testsync`` fixture yielding a connected client (loaded by the package's entry point).

Settings come from command-line options or ``TESTSYNC_*`` variables (options win)::

    pytest --testsync-url ws://sync-host:9105 --testsync-run-id "$CI_PIPELINE_ID"
    TESTSYNC_RUN_ID=4711 TESTSYNC_USERNAME=u TESTSYNC_PASSWORD=p pytest -n 8

Each worker of pytest-xdist gets its own connection (agent ``pytest-gw0``, ``pytest-gw1`` …), so
``testsync.checkpoint("suite-ready", target=8)`` lines up the eight workers.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Iterator, Optional

import pytest

from ._sync import TestSync

DEFAULT_URL = "ws://localhost:9105"

_OPTIONS = (
    ("url", "TESTSYNC_URL", f"TestSync WebSocket address (default {DEFAULT_URL})"),
    ("run-id", "TESTSYNC_RUN_ID", "the run id every agent of this test run shares (required)"),
    ("username", "TESTSYNC_USERNAME", "TestSync user name"),
    ("password", "TESTSYNC_PASSWORD", "TestSync password"),
    ("agent", "TESTSYNC_AGENT", "this process's agent name (default pytest-<xdist worker or main>)"),
)


@dataclass(frozen=True)
class TestSyncSettings:
    """Where and as whom the ``testsync`` fixture connects."""

    __test__ = False

    url: str
    run_id: str
    username: Optional[str]
    password: Optional[str]
    agent: str


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("testsync", "TestSync client (the testsync fixture)")
    for name, variable, text in _OPTIONS:
        group.addoption(f"--testsync-{name}", dest=f"testsync_{name.replace('-', '_')}", default=None,
                        help=f"{text}; or ${variable}")


def settings_from(config: pytest.Config) -> TestSyncSettings:
    """Options first, then the environment; a missing run id is a usage error naming both ways."""

    def value(name: str, variable: str) -> Optional[str]:
        given = config.getoption(f"testsync_{name.replace('-', '_')}")
        return given if given not in (None, "") else (os.environ.get(variable) or None)

    run_id = value("run-id", "TESTSYNC_RUN_ID")
    if run_id is None:
        raise pytest.UsageError("the testsync fixture needs a run id: pass --testsync-run-id or set TESTSYNC_RUN_ID")
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    return TestSyncSettings(
        url=value("url", "TESTSYNC_URL") or DEFAULT_URL,
        run_id=run_id,
        username=value("username", "TESTSYNC_USERNAME"),
        password=value("password", "TESTSYNC_PASSWORD"),
        agent=value("agent", "TESTSYNC_AGENT") or f"pytest-{worker}",
    )


@pytest.fixture(scope="session")
def testsync_settings(pytestconfig: pytest.Config) -> TestSyncSettings:
    """The resolved settings (url, run id, credentials, agent name) of this session."""
    try:
        return settings_from(pytestconfig)
    except pytest.UsageError as e:
        pytest.fail(str(e), pytrace=False)


@pytest.fixture
def testsync(testsync_settings: TestSyncSettings) -> Iterator[TestSync]:
    """A client connected to the run for this test, closed after it."""
    s = testsync_settings
    with TestSync.connect(s.url, s.run_id, s.username, s.password, s.agent) as client:
        yield client
