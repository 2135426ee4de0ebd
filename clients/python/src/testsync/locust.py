"""Locust integration: every user, across all workers, meets at one checkpoint before its first task.

In a locustfile::

    from testsync.locust import rendezvous

    class Shopper(HttpUser):
        def on_start(self):
            self.sync = rendezvous(self)   # self.sync.index: 1..N, unique across all workers

Importing this module adds ``--testsync-*`` options to Locust (also settable as ``TESTSYNC_*``
variables; given to the master, they reach the workers). The master fixes the run id (generated
per test unless given) and the number of users to wait for (``-u`` unless given) when the test
starts, and hands both to the workers with the spawn message, so every user of one Locust test
joins the same TestSync run. Connections are closed when the test stops.
"""

from __future__ import annotations

import itertools
import os
import re
import time
import uuid
from dataclasses import dataclass
from typing import Any, List, Optional

import locust  # noqa: F401  (monkey-patches with gevent before any connection exists)
from locust import events
from locust.env import Environment
from locust.runners import WorkerRunner

from ._models import Release
from ._sync import TestSync

DEFAULT_URL = "ws://localhost:9105"
DEFAULT_CHECKPOINT = "locust-start"
DEFAULT_STATE = "locust-users"

_user_numbers = itertools.count(1)
_clients: List[TestSync] = []  # every connection rendezvous opened, closed when the test stops


@dataclass
class Session:
    """One Locust user's place in the run: its connection, its unique index and the release it passed."""

    client: TestSync
    index: int
    release: Release

    def close(self) -> None:
        """Close the user's connection (also done for every session when the test stops)."""
        self.client.close()


@events.init_command_line_parser.add_listener
def _add_options(parser: Any, **_: Any) -> None:
    # On the parser itself, not an argument group: only Locust's parser takes is_secret.
    parser.add_argument("--testsync-url", env_var="TESTSYNC_URL", default=DEFAULT_URL,
                       help=f"TestSync WebSocket address (default {DEFAULT_URL})")
    parser.add_argument("--testsync-run-id", env_var="TESTSYNC_RUN_ID", default="",
                       help="TestSync run id shared by all users (default: a new one per Locust test)")
    parser.add_argument("--testsync-username", env_var="TESTSYNC_USERNAME", default="", help="TestSync user name")
    parser.add_argument("--testsync-password", env_var="TESTSYNC_PASSWORD", default="", is_secret=True,
                       help="TestSync password")
    parser.add_argument("--testsync-users", env_var="TESTSYNC_USERS", type=int, default=0,
                       help="users to wait for at the checkpoint (default: the test's user count, -u)")
    parser.add_argument("--testsync-checkpoint", env_var="TESTSYNC_CHECKPOINT", default=DEFAULT_CHECKPOINT,
                       help=f"checkpoint identifier (default {DEFAULT_CHECKPOINT})")
    parser.add_argument("--testsync-timeout", env_var="TESTSYNC_TIMEOUT", type=float, default=300.0,
                       help="seconds to wait for all users at the checkpoint (default 300)")


@events.test_start.add_listener
def _fix_run(environment: Environment, **_: Any) -> None:
    # The master (or a single process) decides once per test; workers get the values with every
    # spawn message, because Locust forwards each non-default option to them.
    opts = environment.parsed_options
    if opts is None or isinstance(environment.runner, WorkerRunner) or not hasattr(opts, "testsync_url"):
        return
    opts.testsync_session_run_id = opts.testsync_run_id or _new_run_id()
    target = opts.testsync_users or (environment.runner.target_user_count if environment.runner else 0)
    opts.testsync_session_users = int(target)


@events.test_stop.add_listener
def _close_sessions(**_: Any) -> None:
    while _clients:
        client = _clients.pop()
        try:
            client.close()
        except Exception:  # a broken connection is closed already
            pass


events.quitting.add_listener(_close_sessions)


def rendezvous(user: Any, *, run_id: Optional[str] = None, users: Optional[int] = None,
               checkpoint: Optional[str] = None, timeout: Optional[float] = None,
               state: str = DEFAULT_STATE) -> Session:
    """Connect this user, give it the next index of ``state``, and wait until all users joined.

    Returns at the common start instant (every user of every worker at once). Keyword
    arguments override the ``--testsync-*`` options. Raises :class:`CheckpointFailedError`
    when not all users arrive in time: Locust then logs it and stops this user.
    """
    opts = user.environment.parsed_options
    url = _option(opts, "testsync_url") or os.environ.get("TESTSYNC_URL") or DEFAULT_URL
    run = run_id or _option(opts, "testsync_session_run_id") or _option(opts, "testsync_run_id")
    target = users or _option(opts, "testsync_session_users") or _option(opts, "testsync_users")
    if not run:
        raise ValueError("rendezvous: no run id; import testsync.locust in the locustfile (the master then "
                         "makes one per test), or pass run_id=… / --testsync-run-id")
    if not target:
        raise ValueError("rendezvous: unknown number of users to wait for; pass users=… or --testsync-users")
    agent = f"locust-{_host()}-{os.getpid()}-{next(_user_numbers)}"
    client = TestSync.connect(url, run, _option(opts, "testsync_username") or None,
                              _option(opts, "testsync_password") or None, agent)
    # Registered before waiting: a test stopped mid-wait still closes this connection.
    _clients.append(client)
    try:
        index = client.signal_entry(state)
        release = client.checkpoint(checkpoint or _option(opts, "testsync_checkpoint") or DEFAULT_CHECKPOINT,
                                    int(target), timeout or _option(opts, "testsync_timeout") or 300.0)
    except BaseException:
        client.close()
        raise
    return Session(client, index, release)


def _option(opts: Any, name: str) -> Any:
    return getattr(opts, name, None) if opts is not None else None


def _new_run_id() -> str:
    return "locust-" + time.strftime("%Y%m%d-%H%M%S", time.gmtime()) + "-" + uuid.uuid4().hex[:8]


def _host() -> str:
    return re.sub(r"[^A-Za-z0-9._-]", "-", os.uname().nodename)[:60] if hasattr(os, "uname") else "host"

