"""An SMTP server on loopback that accepts every message and counts them, for the benchmarks.

    .venv/bin/python bench/smtp_sink.py --port PORT --count-file FILE

Runs in its own process (as a real mail server would), prints "ready" once it listens, and
keeps the number of messages accepted so far in FILE until it is stopped.
"""

import argparse
import os
import signal
import threading
from pathlib import Path

from aiosmtpd.controller import Controller


class Counter:
    def __init__(self, path: Path):
        self.path = path
        self.count = 0
        self.lock = threading.Lock()
        self.write()

    def write(self) -> None:
        temporary = self.path.with_suffix(".tmp")
        temporary.write_text(str(self.count))
        os.replace(temporary, self.path)  # readers never see half a number

    async def handle_DATA(self, _server, _session, _envelope):
        with self.lock:
            self.count += 1
            self.write()
        return "250 OK"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--count-file", type=Path, required=True)
    options = parser.parse_args()
    controller = Controller(Counter(options.count_file), hostname="127.0.0.1", port=options.port)
    controller.start()
    print("ready", flush=True)
    stopped = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stopped.set())
    signal.signal(signal.SIGINT, lambda *_: stopped.set())
    stopped.wait()
    controller.stop()


if __name__ == "__main__":
    main()
