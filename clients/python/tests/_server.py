"""The real server jar as a child process on free loopback ports, for the tests."""

from __future__ import annotations

import base64
import os
import signal
import socket
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Dict, Optional

USERNAME = "py-agent"
PASSWORD = "py-secret-7"

REPO = Path(__file__).resolve().parents[3]


def jar_path() -> Path:
    """The jar to test: $TESTSYNC_JAR (ci.sh sets it), else server/target/testsync.jar of this repository."""
    return Path(os.environ.get("TESTSYNC_JAR") or REPO / "server" / "target" / "testsync.jar").resolve()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class ServerProcess:
    """``java -jar testsync.jar`` with credentials, on free ports, in its own directory (no ./config)."""

    def __init__(self, jar: Path, extra_env: Optional[Dict[str, str]] = None) -> None:
        self.jar = jar
        self.extra_env = extra_env or {}
        self.dir = Path(tempfile.mkdtemp(prefix="testsync-py-"))
        self.log = self.dir / "server.log"
        self.proc: Optional[subprocess.Popen[bytes]] = None
        self.http_port = self.ws_port = 0

    @property
    def ws_url(self) -> str:
        return f"ws://127.0.0.1:{self.ws_port}"

    @property
    def http_url(self) -> str:
        return f"http://127.0.0.1:{self.http_port}"

    def start(self, attempts: int = 5) -> "ServerProcess":
        """Start and await ``/health``; a port that cannot be bound (taken since it was chosen, or
        refused for a while by some kernels after use) gets another try on other ports."""
        for _ in range(attempts):
            self.http_port, self.ws_port = free_port(), free_port()
            env = {k: v for k, v in os.environ.items() if not k.startswith("TESTSYNC_")}
            env.update({
                "TESTSYNC_HTTP_PORT": str(self.http_port), "TESTSYNC_WS_PORT": str(self.ws_port),
                "TESTSYNC_BIND_ADDRESS": "127.0.0.1", "TESTSYNC_LOGGING_LEVEL": "WARN",
                "TESTSYNC_SYNC_CLIENT_USERNAME": USERNAME, "TESTSYNC_SYNC_CLIENT_PASSWORD": PASSWORD,
            })
            env.update(self.extra_env)
            with open(self.log, "ab") as out:
                self.proc = subprocess.Popen(
                    ["java", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-jar", str(self.jar)],
                    cwd=self.dir, env=env, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
            if self._await_health(60.0):
                return self
            if "cannot listen" not in self.log_text():
                break
        raise RuntimeError(f"the server did not become healthy; its log:\n{self.log_text()[-4000:]}")

    def _await_health(self, seconds: float) -> bool:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            assert self.proc is not None
            if self.proc.poll() is not None:
                return False
            try:
                with urllib.request.urlopen(self.http_url + "/health", timeout=2) as r:
                    if r.status == 200:
                        return True
            except (urllib.error.URLError, OSError):
                pass
            time.sleep(0.05)  # polling the condition: the JVM takes a second or two to listen
        return False

    def log_text(self) -> str:
        return self.log.read_text("utf-8", "replace") if self.log.exists() else ""

    def kill(self) -> None:
        """SIGKILL: the process dies without closing anything; sockets are reset by the kernel."""
        if self.proc is not None and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(10)

    def stop(self) -> int:
        """SIGTERM and wait for the clean exit (the server closes every WebSocket with 1012)."""
        if self.proc is None:
            return 0
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(10)
        return int(self.proc.returncode)

    def http(self, method: str, path: str, body: Optional[bytes] = None,
             content_type: Optional[str] = None) -> "tuple[int, bytes]":
        """One authenticated HTTP request to the server's API: (status, body)."""
        request = urllib.request.Request(self.http_url + path, data=body, method=method)
        token = base64.b64encode(f"{USERNAME}:{PASSWORD}".encode()).decode()
        request.add_header("Authorization", "Basic " + token)
        if content_type is not None:
            request.add_header("Content-Type", content_type)
        try:
            with urllib.request.urlopen(request, timeout=10) as r:
                return r.status, r.read()
        except urllib.error.HTTPError as e:
            return e.code, e.read()
