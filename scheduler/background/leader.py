"""One active scheduler per database; any other waits as a standby.

PostgreSQL: a session-level advisory lock held on a connection of its own. The
server releases it the moment that connection dies (process killed, host gone),
so a standby polling with pg_try_advisory_lock takes over within one poll.
SQLite: an exclusive flock on a file beside the database, released by the
kernel when the process dies. Claims on every row stay the real guarantee; the
lock only keeps a second scheduler from doing work for nothing.
"""
import fcntl
import os
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.engine import Engine

# Any fixed 64-bit number, the same in every process of this app.
ADVISORY_LOCK_KEY = 0x5CED_0001


class LeaderLock:
    def __init__(self, engine: Engine, instance_path: str):
        self.engine = engine
        self.instance_path = instance_path
        self._connection = None
        self._file = None

    @property
    def kind(self) -> str:
        return "postgresql" if self.engine.dialect.name == "postgresql" else "file"

    def try_acquire(self) -> bool:
        if self.kind == "postgresql":
            if self._connection is None:
                self._connection = self.engine.connect()
                # The lock lives as long as this session. If the active host freezes
                # or drops off the network (no FIN, no RST), the server would keep the
                # session, and the lock, until its TCP keepalive gives up — two hours
                # by default. These make the server notice within about 20 seconds.
                for setting, value in (("tcp_keepalives_idle", 5), ("tcp_keepalives_interval", 2),
                                       ("tcp_keepalives_count", 3), ("tcp_user_timeout", 10000)):
                    self._connection.exec_driver_sql(f"SET {setting} = {value}")
            got = self._connection.execute(text("SELECT pg_try_advisory_lock(:key)"),
                                           {"key": ADVISORY_LOCK_KEY}).scalar()
            self._connection.commit()  # no transaction left open while we wait or work
            return bool(got)
        if self._file is None:
            self._file = open(self.lock_path, "a+")  # noqa: SIM115
        try:
            fcntl.flock(self._file, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        self._file.seek(0)
        self._file.truncate()
        self._file.write(f"{os.getpid()}\n")
        self._file.flush()
        return True

    @property
    def lock_path(self) -> Path:
        """Beside the SQLite file, so every instance folder using it shares one lock."""
        database = self.engine.url.database
        if self.engine.dialect.name == "sqlite" and database and database != ":memory:":
            return Path(database).with_name(Path(database).name + ".scheduler-lock")
        return Path(self.instance_path) / "scheduler.lock"

    def still_held(self) -> bool:
        """False once the lock's connection is gone (the database restarted, say)."""
        if self.kind != "postgresql":
            return True
        try:
            held = self._connection.execute(text(
                "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted "
                "AND pid = pg_backend_pid() AND objid = :low"),
                {"low": ADVISORY_LOCK_KEY & 0xFFFFFFFF}).scalar()
            self._connection.commit()
            return bool(held)
        except Exception:  # noqa: BLE001 (any failure means we no longer know)
            return False

    def release(self) -> None:
        if self._connection is not None:
            try:
                self._connection.close()  # ends the session, and with it the lock
            finally:
                self._connection = None
        if self._file is not None:
            self._file.close()  # closing the descriptor drops the flock
            self._file = None
