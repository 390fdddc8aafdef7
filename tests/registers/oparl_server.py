"""A real HTTP server in a thread that serves the hand-written OParl fixture, for the import
tests: routes can be changed, broken (500, invalid JSON) or slowed down per test."""

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

FIXTURES = Path(__file__).parent / "fixtures" / "oparl"

ROUTES = {
    "/oparl/v1/system": "system.json",
    "/oparl/v1/bodies": "bodies.json",
    "/oparl/v1/body/1/organizations": "organizations.json",
    "/oparl/v1/body/1/persons": "persons.json",
    "/oparl/v1/body/1/meetings": "meetings.json",
    "/oparl/v1/body/1/papers": "papers-1.json",
    "/oparl/v1/body/1/papers?page=2": "papers-2.json",
    "/oparl/v1/body/1/papers?page=3": "papers-3.json",
}


class FixtureServer:
    """`routes` maps a path (plus `?page=N`) to the response: a dict (JSON), a str (sent as it
    is), an int (that status), or a callable returning one of these."""

    def __init__(self):
        self.routes: dict = {}
        self.seen: list[str] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                server.seen.append(self.path)
                parts = urlsplit(self.path)
                page = parse_qs(parts.query).get("page")
                key = parts.path + (f"?page={page[0]}" if page else "")
                answer = server.routes.get(key, 404)
                if callable(answer):
                    answer = answer()
                if isinstance(answer, int):
                    self.send_response(answer)
                    self.end_headers()
                    return
                text = answer if isinstance(answer, str) else json.dumps(answer)
                payload = text.encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def log_message(self, *args):
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.base = f"http://127.0.0.1:{self.httpd.server_port}"
        for path, name in ROUTES.items():
            self.routes[path] = self.load(name)
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def system_url(self) -> str:
        return self.base + "/oparl/v1/system"

    def load(self, name: str) -> dict:
        text = (FIXTURES / name).read_text(encoding="utf-8").replace("{base}", self.base)
        return json.loads(text)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.httpd.shutdown()
        self.httpd.server_close()


def slow(seconds: float, answer):
    """A route that answers only after `seconds`."""

    def respond():
        time.sleep(seconds)
        return answer

    return respond
