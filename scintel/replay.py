"""A local HTTP server that replays recorded responses: for tests and offline runs.

Routes match on the request path (a glob: `*` spans segments) and on the query
parameters the route names (others are ignored); the most specific route wins.
A route replies once per request from its list, repeating the last reply, so
`429 then 200` is `[Reply(429, ...), Reply(200, ...)]`.

A sample directory holds `routes.json`:

    [{"path": "/europepmc/webservices/rest/search", "query": {"cursorMark": "*"},
      "file": "page1.json", "status": 200, "headers": {"Content-Type": "application/json"}}]
"""

from __future__ import annotations

import fnmatch
import json
import logging
import mimetypes
import threading
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit

log = logging.getLogger(__name__)

ROUTES_FILE = "routes.json"
CONTENT_TYPES = {
    ".json": "application/json",
    ".xml": "application/xml",
    ".atom": "application/atom+xml",
}


@dataclass(frozen=True)
class Reply:
    """One recorded response."""

    status: int = 200
    body: bytes = b""
    headers: Mapping[str, str] = field(default_factory=dict)

    @classmethod
    def file(cls, path: Path, status: int = 200, headers: Mapping[str, str] | None = None) -> Reply:
        kind = (
            CONTENT_TYPES.get(path.suffix)
            or mimetypes.guess_type(path.name)[0]
            or "application/octet-stream"
        )
        return cls(status, path.read_bytes(), {"Content-Type": kind, **(headers or {})})

    @classmethod
    def json(cls, data: Any, status: int = 200) -> Reply:
        return cls(status, json.dumps(data).encode(), {"Content-Type": "application/json"})


@dataclass
class Route:
    path: str
    query: dict[str, str]
    replies: list[Reply]
    served: int = 0

    def matches(self, path: str, params: dict[str, str]) -> bool:
        return fnmatch.fnmatchcase(path, self.path) and all(
            params.get(k) == v for k, v in self.query.items()
        )

    def next_reply(self) -> Reply:
        reply = self.replies[min(self.served, len(self.replies) - 1)]
        self.served += 1
        return reply


class ReplayServer:
    """Serve routes on 127.0.0.1 from a background thread; use as a context manager."""

    def __init__(self, port: int = 0) -> None:
        self.routes: list[Route] = []
        self.requests: list[str] = []
        self.headers: list[dict[str, str]] = []  # each request's headers, in order
        self._lock = threading.Lock()
        self._port = port
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # --- routes ---------------------------------------------------------------------

    def add(
        self,
        path: str,
        replies: Reply | Sequence[Reply],
        query: Mapping[str, str] | None = None,
    ) -> ReplayServer:
        """Serve `replies` (one after the other, the last repeating) for path + query."""
        listed = [replies] if isinstance(replies, Reply) else list(replies)
        if not listed:
            raise ValueError("a route needs at least one reply")
        with self._lock:
            self.routes.append(Route(path, {k: str(v) for k, v in (query or {}).items()}, listed))
        return self

    def add_directory(self, folder: Path) -> ReplayServer:
        """Serve a sample directory described by its routes.json."""
        spec = json.loads((folder / ROUTES_FILE).read_text(encoding="utf-8"))
        for entry in spec:
            replies = entry.get("replies") or [entry]
            self.add(
                entry["path"],
                [
                    Reply.file(folder / r["file"], r.get("status", 200), r.get("headers"))
                    if "file" in r
                    else Reply(
                        r.get("status", 200), r.get("body", "").encode(), r.get("headers", {})
                    )
                    for r in replies
                ],
                entry.get("query"),
            )
        return self

    def route_for(self, target: str) -> Route | None:
        parts = urlsplit(target)
        params = dict(parse_qsl(parts.query, keep_blank_values=True))
        with self._lock:
            found = [r for r in self.routes if r.matches(parts.path, params)]
        # Most query keys first, then the longest literal path, then the latest added.
        found.sort(key=lambda r: (len(r.query), len(r.path.replace("*", ""))))
        return found[-1] if found else None

    # --- server ---------------------------------------------------------------------

    @property
    def url(self) -> str:
        if self._server is None:
            raise RuntimeError("replay server is not running")
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def start(self) -> ReplayServer:
        replay = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                if length:
                    self.rfile.read(length)
                with replay._lock:
                    replay.requests.append(self.path)
                    replay.headers.append(dict(self.headers.items()))
                route = replay.route_for(self.path)
                if route is None:
                    reply = Reply(404, b"no recorded response", {"Content-Type": "text/plain"})
                else:
                    with replay._lock:
                        reply = route.next_reply()
                self.send_response(reply.status)
                for name, value in reply.headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(reply.body)))
                self.end_headers()
                self.wfile.write(reply.body)

            do_POST = do_GET

            def log_message(self, format: str, *args: Any) -> None:
                log.debug("replay: " + format, *args)

        self._server = ThreadingHTTPServer(("127.0.0.1", self._port), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def __enter__(self) -> ReplayServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


def sample_dir(source: str) -> Path:
    """The bundled offline sample of a source (scintel/samples/<source>/)."""
    return Path(str(resources.files("scintel.samples"))) / source


@contextmanager
def serve_samples(sources: Sequence[str]) -> Iterator[ReplayServer]:
    """One server replaying the bundled samples of several sources (routes differ by path)."""
    with ReplayServer() as server:
        for source in sources:
            server.add_directory(sample_dir(source))
        yield server
