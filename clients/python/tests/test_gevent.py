"""The blocking client under gevent's monkey-patching (as in a Locust worker), in a child process."""

from __future__ import annotations

import json
import subprocess
import sys

from _server import PASSWORD, USERNAME

CHILD = r"""
import gevent.monkey
gevent.monkey.patch_all()
import json, sys, time
import gevent
from testsync import TestSync

url, run, user, password = sys.argv[1:5]
clients = [TestSync.connect(url, run, user, password, f"green-{i}") for i in range(10)]
ticks = []

def ticker():  # proves the hub keeps running while every client waits at the checkpoint
    for _ in range(20):
        ticks.append(time.monotonic())
        gevent.sleep(0.01)

def meet(c):
    return c.signal_entry("green"), c.checkpoint("green-start", 10, timeout=30).start_at

t = gevent.spawn(ticker)
jobs = [gevent.spawn(meet, c) for c in clients]
gevent.joinall(jobs + [t], raise_error=True)
lock_fences = []
def locker(c):
    with c.lock("green-lock", timeout=30) as held:
        lock_fences.append(held.fence)
        c.counter("green-held", 1)
gevent.joinall([gevent.spawn(locker, c) for c in clients], raise_error=True)
for c in clients:
    c.close()
print(json.dumps({"results": [j.value for j in jobs], "ticks": len(ticks), "fences": lock_fences,
                  "thread_patched": gevent.monkey.is_module_patched("threading")}))
"""


def test_ten_greenlets_meet_at_a_checkpoint_while_the_hub_keeps_running(server, run_id):
    done = subprocess.run([sys.executable, "-c", CHILD, server.ws_url, run_id, USERNAME, PASSWORD],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout.strip().splitlines()[-1])
    assert out["thread_patched"] is True
    assert sorted(seq for seq, _ in out["results"]) == list(range(1, 11))
    assert len({start_at for _, start_at in out["results"]}) == 1
    assert out["ticks"] == 20
    assert len(out["fences"]) == 10 and out["fences"] == sorted(set(out["fences"]))
