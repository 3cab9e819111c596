"""A real SMS-gateway stand-in on 127.0.0.1 that counts every notice it receives (issue 11 tests)."""

from __future__ import annotations

import json
import threading
import time
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


class CountingReceiver:
    """Answers 200 to every POST after `delay_s` and counts arrivals per notice_id."""

    def __init__(self, delay_s: float = 0.0) -> None:
        self.delay_s = delay_s
        self.counts: Counter[int] = Counter()
        self._lock = threading.Lock()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 (http.server's naming)
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                if receiver.delay_s:
                    time.sleep(receiver.delay_s)  # a gateway that takes a moment: sends overlap
                with receiver._lock:
                    receiver.counts[int(body["notice_id"])] += 1
                payload = b'{"ok": true}'
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def log_message(self, *args: Any) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/sms"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def total(self) -> int:
        """How many POSTs arrived in all."""
        with self._lock:
            return sum(self.counts.values())

    def snapshot(self) -> Counter[int]:
        """A copy of the per-notice counts."""
        with self._lock:
            return Counter(self.counts)

    def close(self) -> None:
        """Stop serving."""
        self.httpd.shutdown()
        self.httpd.server_close()
