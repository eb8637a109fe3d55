"""An SMS gateway on loopback speaking SMSAPI.pl's protocol (``POST /sms.do``, a bearer token,
``idx`` with ``check_idx``), as ``app.mail.sms`` talks to it; faults on demand."""

import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs

TOKEN = "test-token"


@dataclass
class Gateway:
    """What the gateway delivered (``delivered``: the form of each message it sent), what it was
    asked (``requests``), and what it does with the next requests (``faults``, one each):
    ``"unavailable"`` (503), ``"lost"`` (it takes the message, then the connection drops before
    its answer) or an SMSAPI error code for that request."""

    url: str = ""
    delivered: list[dict] = field(default_factory=list)
    requests: int = 0
    faults: list = field(default_factory=list)
    refused_numbers: dict[str, int] = field(default_factory=dict)  # number → error code
    lock: threading.Lock = field(default_factory=threading.Lock)

    def answer(self, form: dict, authorization: str) -> tuple[int, dict | None]:
        """(HTTP status, JSON answer); None: drop the connection without one."""
        with self.lock:
            self.requests += 1
            fault = self.faults.pop(0) if self.faults else None
            if fault == "unavailable":
                return 503, {"message": "Service Unavailable"}
            if isinstance(fault, int):
                return 200, {"error": fault, "message": "Error on demand"}
            if authorization != f"Bearer {TOKEN}":
                return 200, {"error": 101, "message": "Authorization failed"}
            number = form.get("to", "")
            if number in self.refused_numbers:
                return 200, {"error": self.refused_numbers[number], "message": "Invalid number"}
            if form.get("check_idx") == "1" and form.get("idx") in self.keys():
                return 200, {"error": 53, "message": "Not unique idx"}
            self.delivered.append(form)
            if fault == "lost":
                return 200, None
            return 200, {
                "count": 1,
                "list": [
                    {
                        "id": f"{len(self.delivered):020d}",
                        "points": 0.16,
                        "number": number,
                        "date_sent": int(time.time()),
                        "submitted_number": number,
                        "status": "QUEUE",
                        "idx": form.get("idx"),
                    }
                ],
            }

    def keys(self) -> set[str]:
        return {message.get("idx") for message in self.delivered}


def serve(gateway: Gateway) -> ThreadingHTTPServer:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802 (http.server's name)
            length = int(self.headers.get("Content-Length", 0))
            body = self.rfile.read(length).decode("utf-8")
            form = {name: values[0] for name, values in parse_qs(body).items()}
            if self.path != "/sms.do":
                status, answer = 404, {"message": "Not found"}
            else:
                status, answer = gateway.answer(form, self.headers.get("Authorization", ""))
            if answer is None:
                self.close_connection = True
                self.connection.shutdown(2)
                return
            data = json.dumps(answer).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *_args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    gateway.url = f"http://127.0.0.1:{server.server_address[1]}/"
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server
