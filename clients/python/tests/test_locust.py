"""A real headless Locust run: master + 2 workers, 50 users, the example locustfile, the real jar."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from _server import PASSWORD, USERNAME, free_port
from _target import Target

LOCUSTFILE = Path(__file__).resolve().parents[1] / "examples" / "locustfile.py"
USERS = 50


def _locust(args, log: Path) -> "subprocess.Popen[bytes]":
    out = open(log, "wb")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TESTSYNC_", "LOCUST_"))}
    return subprocess.Popen([sys.executable, "-m", "locust", "-f", str(LOCUSTFILE), *args],
                            stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, env=env)


def test_50_users_on_2_workers_meet_at_the_checkpoint_with_distinct_indices(server, tmp_path, capsys):
    target = Target().start()
    master_port = free_port()
    master = _locust(["--headless", "--master", "--master-bind-host", "127.0.0.1",
                      "--master-bind-port", str(master_port), "--expect-workers", "2",
                      "-u", str(USERS), "-r", str(USERS), "--run-time", "120s", "--host", target.url,
                      "--testsync-url", server.ws_url, "--testsync-username", USERNAME,
                      "--testsync-password", PASSWORD, "--testsync-timeout", "90"], tmp_path / "master.log")
    workers = [_locust(["--worker", "--master-host", "127.0.0.1", "--master-port", str(master_port)],
                       tmp_path / f"worker-{i}.log") for i in range(2)]
    processes = [master, *workers]
    try:
        deadline = time.monotonic() + 120
        while len({path for _, path, _ in target.snapshot()}) < USERS:
            if time.monotonic() > deadline or any(p.poll() is not None for p in processes):
                pytest.fail("not every user made its first request; logs:\n" + _logs(tmp_path), pytrace=False)
            time.sleep(0.05)
        master.send_signal(signal.SIGTERM)  # a clean stop: the exit code says whether any user failed
        codes = [p.wait(60) for p in processes]
    finally:
        for p in processes:
            if p.poll() is None:
                p.kill()
                p.wait(10)
        target.stop()

    hits = target.snapshot()
    first = {}
    for arrived, path, run in hits:
        first.setdefault(path, (arrived, run))
    assert sorted(first) == sorted(f"/accounts/{i}" for i in range(1, USERS + 1)), _logs(tmp_path)
    runs = {run for _, run in first.values()}
    assert len(runs) == 1 and runs.pop().startswith("locust-")  # one run id, made by the master
    assert codes == [0, 0, 0], _logs(tmp_path)
    log = _logs(tmp_path)
    assert "CheckpointFailedError" not in log and "Traceback" not in log, log
    times = sorted(arrived for arrived, _ in first.values())
    spread_ms = (times[-1] - times[0]) * 1000
    with capsys.disabled():
        print(f"\nLocust: {USERS} users on 2 workers passed the checkpoint; first requests after the "
              f"release spread over {spread_ms:.1f} ms (p50 {1000 * (times[len(times) // 2] - times[0]):.1f} ms)")


def _logs(directory: Path) -> str:
    return "\n".join(f"--- {p.name}\n{p.read_text('utf-8', 'replace')[-3000:]}" for p in sorted(directory.glob("*.log")))
