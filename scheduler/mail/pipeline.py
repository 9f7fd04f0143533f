"""Send on one thread while the caller builds the next message.

Building a message is Python work; sending it is mostly waiting for the
server's answer, during which the GIL is free. Running the SMTP conversation on
its own thread overlaps the two, so a fan-out goes about as fast as the mail
server accepts messages. The queue is short on purpose: an outcome is recorded
a few messages after the server's answer at most, which bounds what a crash
could make us send twice.
"""
import queue
import threading
from collections.abc import Iterator

from .transports import PermanentError, TransientError

DEPTH = 4


class SendingThread:
    def __init__(self, transport, depth: int = DEPTH):
        self.transport = transport
        self.jobs: queue.Queue = queue.Queue(maxsize=depth)
        self.results: queue.Queue = queue.Queue()
        self.broken = threading.Event()  # set after a transient failure: send no more
        self.reason = ""
        self.thread = threading.Thread(target=self._run, name="smtp-sender", daemon=True)
        self.thread.start()

    def submit(self, key, sender: str, recipient: str, message: bytes, name: str) -> None:
        self.jobs.put((key, sender, recipient, message, name))

    def finish(self) -> None:
        self.jobs.put(None)
        self.thread.join()

    def outcomes(self) -> Iterator[tuple[object, Exception | None]]:
        """(key, None) for accepted, (key, error) otherwise; whatever is ready now."""
        while True:
            try:
                yield self.results.get_nowait()
            except queue.Empty:
                return

    def _run(self) -> None:
        while (job := self.jobs.get()) is not None:
            key, sender, recipient, message, name = job
            if self.broken.is_set():
                self.results.put((key, TransientError(self.reason)))
                continue
            try:
                self.transport.send(sender, recipient, message, name=name)
            except PermanentError as error:
                self.results.put((key, error))
            except Exception as error:  # an outage, or anything unforeseen: retry later
                self.reason = str(error) if isinstance(error, TransientError) else repr(error)
                self.broken.set()
                self.results.put((key, TransientError(self.reason)))
            else:
                self.results.put((key, None))
