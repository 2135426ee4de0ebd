"""A tiny HTTP target for the Locust run: answers 200 and notes when each request arrived."""

from __future__ import annotations

import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import List, Tuple


class Target:
    """``GET /accounts/<n>`` -> 200; ``hits`` holds (time.monotonic(), path, run header) of every request."""

    def __init__(self) -> None:
        self.hits: List[Tuple[float, str, str]] = []
        self._lock = threading.Lock()
        target = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:  # noqa: N802 (the http.server API)
                arrived = time.monotonic()
                with target._lock:
                    target.hits.append((arrived, self.path, self.headers.get("X-TestSync-Run", "")))
                self.send_response(200)
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"ok")

            def log_message(self, *args: object) -> None:
                pass

        class Server(ThreadingHTTPServer):
            # The default backlog of 5 drops the SYNs of 50 users starting at once: the kernel's
            # 1 s retransmit would then be measured as spread.
            request_queue_size = 256

        self._server = Server(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def start(self) -> "Target":
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def snapshot(self) -> List[Tuple[float, str, str]]:
        with self._lock:
            return list(self.hits)
