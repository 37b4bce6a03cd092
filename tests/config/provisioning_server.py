"""A provisioning server over HTTPS on loopback whose next answers the test scripts."""

from __future__ import annotations

import email.utils
import http.server
import ssl
import threading
from dataclasses import dataclass, field

from tests.fixtures.tls import Pki


@dataclass
class Answer:
    status: int = 200
    body: bytes = b""
    content_type: str = "application/toml"
    etag: str | None = None
    truncate: bool = False  # promise more bytes than are sent, then close
    stall: threading.Event | None = None  # hold the answer until this is set (a server that does not answer)


@dataclass
class Seen:
    path: str
    headers: dict[str, str] = field(default_factory=dict)


class ProvisioningServer:
    def __init__(self, pki: Pki) -> None:
        self.answer = Answer()
        self.requests: list[Seen] = []
        server = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 - the http.server API
                server.requests.append(Seen(self.path, {k.lower(): v for k, v in self.headers.items()}))
                answer = server.answer
                if answer.stall is not None:
                    answer.stall.wait(30)
                    return
                if answer.etag and self.headers.get("If-None-Match") == answer.etag:
                    self.send_response(304)
                    self.end_headers()
                    return
                self.send_response(answer.status)
                self.send_header("Content-Type", answer.content_type)
                self.send_header("Content-Length", str(len(answer.body) + (500 if answer.truncate else 0)))
                if answer.etag:
                    self.send_header("ETag", answer.etag)
                self.send_header("Last-Modified", email.utils.formatdate(usegmt=True))
                self.end_headers()
                self.wfile.write(answer.body)
                if answer.truncate:
                    self.wfile.flush()
                    self.close_connection = True

            def log_message(self, *args: object) -> None:
                pass

        self._httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._httpd.daemon_threads = True
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(str(pki.cert_file), str(pki.key_file))
        self._httpd.socket = context.wrap_socket(self._httpd.socket, server_side=True)
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"https://127.0.0.1:{self._httpd.server_address[1]}/callclient/jdoe.toml"

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()
