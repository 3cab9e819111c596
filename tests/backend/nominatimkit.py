"""A Nominatim stand-in on 127.0.0.1 (in-process thread) answering /search in Nominatim's JSON
format; what it answers depends on words in the query: "chậm" is slower than any client timeout,
"lỗi" is a 500, "số 15" is a house, "ấp đông" only a hamlet, anything else is not found."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

from api_client.domain.text import fold


class FakeNominatim:
    """A Nominatim /search stand-in: answers by what the query contains; records every request."""

    def __init__(self) -> None:
        self.requests: list[tuple[float, str]] = []
        self.slow_s = 2.0
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 (http.server's name)
                url = urlsplit(self.path)
                q = parse_qs(url.query).get("q", [""])[0]
                outer.requests.append((time.monotonic(), q))
                folded = fold(q)
                if url.path != "/search":
                    return self._send(404, {"error": "not found"})
                if "cham" in folded:  # "chậm": slower than the client's timeout
                    time.sleep(outer.slow_s)
                    return self._send(200, [])
                if "loi" in folded:  # "lỗi": the service fails
                    return self._send(500, {"error": "internal"})
                if "so 15" in folded:
                    return self._send(200, [{
                        "place_id": 1, "lat": "10.8741", "lon": "105.0952", "class": "building",
                        "type": "house", "display_name": "15, Khóm An Thịnh, An Phú, An Giang, Việt Nam",
                        "importance": 0.4}])
                if "ap dong" in folded:  # only the village is known
                    return self._send(200, [{
                        "place_id": 2, "lat": "10.8800", "lon": "105.1000", "class": "place",
                        "type": "hamlet", "display_name": "Ấp Đông, An Phú, An Giang, Việt Nam",
                        "importance": 0.3}])
                return self._send(200, [])

            def _send(self, status: int, body: Any) -> None:
                data = json.dumps(body).encode()
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up (timeout): nothing to answer

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def queries(self) -> list[str]:
        """The q of every request received."""
        return [q for _, q in self.requests]


def running_nominatim() -> Iterator[FakeNominatim]:
    """A started FakeNominatim, stopped when the generator closes (wrap it in a fixture)."""
    fake = FakeNominatim()
    fake.thread.start()
    try:
        yield fake
    finally:
        fake.server.shutdown()
        fake.server.server_close()
