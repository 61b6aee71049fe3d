"""A real Chroma server for tests (`chroma run` from the installed chromadb)."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path


class ChromaServer:
    """A real Chroma server (`chroma run` from the installed chromadb) on a loopback port,
    storing into `path`; stop() then start() restarts it on the same data and port."""

    def __init__(self, path: Path, port: int):
        self.path, self.port, self.proc = path, port, None
        self.url = f"http://127.0.0.1:{port}"

    def start(self) -> ChromaServer:
        import urllib.request

        chroma = Path(sys.executable).with_name("chroma")
        self.path.mkdir(parents=True, exist_ok=True)
        with (self.path.parent / f"chroma-{self.port}.log").open("a") as log:
            self.proc = subprocess.Popen(
                [str(chroma), "run", "--path", str(self.path), "--host", "127.0.0.1",
                 "--port", str(self.port)], stdout=log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(f"{self.url}/api/v2/heartbeat", timeout=2)
                return self
            except OSError:
                if self.proc.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"chroma run did not start; see {log.name}") from None
                time.sleep(0.2)

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(timeout=30)


