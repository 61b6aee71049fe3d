"""A loopback HTTP server that answers as Ollama's documented API does (/api/tags, /api/chat),
for the error paths we cannot produce with a real Ollama here."""

from __future__ import annotations

import json
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class FakeOllama:
    def __init__(self, models=("phi4-mini:latest",), mode="ok", reply="Open weights [1].",
                 host="127.0.0.1"):
        self.models, self.mode, self.reply = list(models), mode, reply
        self.requests: list[dict] = []  # the JSON bodies posted to /api/chat
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_GET(self):
                if self.path == "/api/tags":
                    body = {"models": [{"name": m, "model": m, "size": 1, "digest": "x",
                                        "modified_at": "2026-01-01T00:00:00Z"}
                                       for m in fake.models]}
                    self._json(200, body)
                else:
                    self._json(404, {"error": "not found"})

            def do_POST(self):
                fake.requests.append(json.loads(
                    self.rfile.read(int(self.headers.get("Content-Length", 0))) or b"{}"))
                if self.path != "/api/chat":
                    return self._json(404, {"error": "not found"})
                self.send_response(200)
                self.send_header("Content-Type", "application/x-ndjson")
                self.end_headers()
                words = fake.reply.split(" ")
                for i, word in enumerate(words):
                    line = {"model": fake.models[0], "created_at": "2026-01-01T00:00:00Z",
                            "message": {"role": "assistant",
                                        "content": word + (" " if i < len(words) - 1 else "")},
                            "done": False}
                    self.wfile.write((json.dumps(line) + "\n").encode())
                    self.wfile.flush()
                    if fake.mode == "cut":  # drop the connection mid-stream
                        self.wfile.write(b'{"model": "x", "mess')
                        self.wfile.flush()
                        self.connection.shutdown(socket.SHUT_RDWR)
                        return
                done = {"model": fake.models[0], "created_at": "2026-01-01T00:00:00Z",
                        "message": {"role": "assistant", "content": ""}, "done": True,
                        "done_reason": "stop"}
                self.wfile.write((json.dumps(done) + "\n").encode())

            def _json(self, code, body):
                data = json.dumps(body).encode()
                self.send_response(code)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        self.server = ThreadingHTTPServer((host, 0), Handler)
        self.url = f"http://{host}:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


class SilentServer:
    """Accepts TCP connections and never answers (for timeouts)."""

    def __init__(self, host="127.0.0.1"):
        self.sock = socket.socket()
        self.sock.bind((host, 0))
        self.sock.listen(16)
        self.url = f"http://{host}:{self.sock.getsockname()[1]}"

    def close(self):
        self.sock.close()
