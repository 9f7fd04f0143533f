"""Standalone SMTP sink for the invitation benchmark (aiosmtpd, 127.0.0.1, free port).

Runs in its own process so the sink never competes with the sender for the GIL.
It keeps no message bodies beyond a small sample: it counts messages, bytes and
recipients, and keeps the first SAMPLE messages so the floor can replay real
app-built messages. Both benchmark phases hit this same handler, reset between.

Control over stdin/stdout, one JSON line per command:
  stats            -> {"messages", "bytes", "recipients", "unique_recipients", "max_per_recipient"}
  sample <path>    -> writes the kept sample (pickled list of (sender, rcpts, bytes)) to <path>
  reset            -> zeroes the counters and the sample
  quit
The first line printed is {"port": N}. SinkProcess is the benchmark's side of the pipe.
"""
import json
import pickle
import socket
import subprocess
import sys
import threading
from collections import Counter
from pathlib import Path

SAMPLE = 200


class SinkProcess:
    """This file run as a child process, driven over its stdin/stdout."""

    def __init__(self):
        self.process = subprocess.Popen([sys.executable, str(Path(__file__).resolve())],
                                        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        self.port = json.loads(self.process.stdout.readline())["port"]

    def ask(self, command: str) -> dict:
        self.process.stdin.write(command + "\n")
        self.process.stdin.flush()
        return json.loads(self.process.stdout.readline())

    def stop(self) -> None:
        self.process.stdin.write("quit\n")
        self.process.stdin.close()
        self.process.wait(timeout=30)


class CountingHandler:
    def __init__(self):
        self.lock = threading.Lock()
        self._zero()

    def _zero(self):
        self.messages, self.bytes = 0, 0
        self.recipients: Counter[str] = Counter()
        self.sample: list[tuple[str, list[str], bytes]] = []

    def reset(self):
        with self.lock:
            self._zero()

    async def handle_DATA(self, server, session, envelope):
        data = envelope.original_content  # exact bytes on the wire (decode_data=False)
        with self.lock:
            self.messages += 1
            self.bytes += len(data)
            self.recipients.update(envelope.rcpt_tos)
            if len(self.sample) < SAMPLE:
                self.sample.append((envelope.mail_from, list(envelope.rcpt_tos), data))
        return "250 Message accepted for delivery"

    def stats(self) -> dict:
        with self.lock:
            return {"messages": self.messages, "bytes": self.bytes,
                    "recipients": sum(self.recipients.values()),
                    "unique_recipients": len(self.recipients),
                    "max_per_recipient": max(self.recipients.values(), default=0)}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def main() -> None:
    from aiosmtpd.controller import Controller  # here, so importing SinkProcess stays light

    handler = CountingHandler()
    port = free_port()
    # Same options as tests/smtp_sink.py: raw bytes, no size limit.
    controller = Controller(handler, hostname="127.0.0.1", port=port,
                            decode_data=False, data_size_limit=None)
    controller.start()
    print(json.dumps({"port": port}), flush=True)
    try:
        for line in sys.stdin:
            command, _, argument = line.strip().partition(" ")
            if command == "stats":
                print(json.dumps(handler.stats()), flush=True)
            elif command == "sample":
                with handler.lock, open(argument, "wb") as out:
                    pickle.dump(handler.sample, out)
                print(json.dumps({"written": len(handler.sample)}), flush=True)
            elif command == "reset":
                handler.reset()
                print(json.dumps({"reset": True}), flush=True)
            elif command == "quit":
                break
    finally:
        controller.stop()


if __name__ == "__main__":
    main()
