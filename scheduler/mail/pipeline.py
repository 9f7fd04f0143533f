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

from .transports import PermanentError, RecipientDeferred, TransientError

DEPTH = 4
WAIT_STEP = 0.2  # seconds between keep-alive calls while waiting on the sender


class SendingThread:
    def __init__(self, transport, depth: int = DEPTH):
        self.transport = transport
        self.jobs: queue.Queue = queue.Queue(maxsize=depth)
        self.results: queue.Queue = queue.Queue()
        self.broken = threading.Event()  # set after a transient failure: send no more
        self.reason = ""
        self.thread = threading.Thread(target=self._run, name="smtp-sender", daemon=True)
        self.thread.start()

    def submit(self, key, sender: str, recipient: str, message: bytes, name: str,
               waiting=lambda: None) -> None:
        """Queue one message; while the queue is full, call `waiting` now and then."""
        while True:
            try:
                self.jobs.put((key, sender, recipient, message, name), timeout=WAIT_STEP)
                return
            except queue.Full:
                waiting()

    def finish(self, waiting=lambda: None) -> None:
        """Let the queued messages go, then stop the thread (calling `waiting` meanwhile)."""
        while True:
            try:
                self.jobs.put(None, timeout=WAIT_STEP)
                break
            except queue.Full:
                waiting()
        while self.thread.is_alive():
            self.thread.join(timeout=WAIT_STEP)
            waiting()

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
                untried = TransientError(self.reason)
                untried.untried = True  # never reached the server: no attempt spent
                self.results.put((key, untried))
                continue
            try:
                self.transport.send(sender, recipient, message, name=name)
            except (PermanentError, RecipientDeferred) as error:
                # About this recipient only: the connection goes on with the next one.
                self.results.put((key, error))
            except Exception as error:  # an outage, or anything unforeseen: retry later
                self.reason = str(error) if isinstance(error, TransientError) else repr(error)
                self.broken.set()
                self.results.put((key, TransientError(self.reason)))
            else:
                self.results.put((key, None))
