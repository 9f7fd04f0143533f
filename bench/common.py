"""What the benchmarks share: phases in their own processes, a throwaway database,
the smtplib floor, profiling, and tying figures to the code they measured.

The orchestrator side (run_phase, scratch_database, code_version) never imports
the app or a database driver: on Linux a child's ru_maxrss starts from the
parent's RSS at spawn time, so a fat parent would pollute each phase's peak.
"""
import json
import pickle
import resource
import shutil
import smtplib
import subprocess
import sys
import tempfile
import time
import uuid
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent


# Inside a phase.

def rss_now_kib() -> int:
    with open("/proc/self/status") as status:
        return next(int(line.split()[1]) for line in status if line.startswith("VmRSS:"))


def peak_rss_kib() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def emit(result: dict) -> None:
    print("RESULT " + json.dumps(result), flush=True)


def make_app(url: str, instance: str, port: int = 0, **config):
    sys.path.insert(0, str(ROOT))  # runnable from a checkout without `pip install -e .`
    from scheduler import create_app
    return create_app({
        "SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench", "INSTANCE_PATH": instance,
        "MAIL_TRANSPORT": "smtp", "MAIL_SMTP_HOST": "127.0.0.1", "MAIL_SMTP_PORT": port, **config,
    })


def national_setup(app, args, *, role: str, seed: int, starts_in, **listed) -> tuple[int, int]:
    """Migrate, generate the national ceremony (`args.sites`, `args.per_site`) and the
    account bench@example.vn, listed as its organizer: (ceremony id, account id)."""
    from datetime import UTC, datetime

    import flask_migrate

    from scheduler.auth import operations as accounts
    from scheduler.devdata.generator import generate_ceremony
    from scheduler.extensions import db
    from scheduler.planning import access

    now = datetime.now(UTC)
    with app.app_context():
        flask_migrate.upgrade()
        ceremony_id = generate_ceremony(db.session, sites=args.sites, attendees_per_site=args.per_site,
                                        starts_at=now + starts_in, now=now, seed=seed)
        user = accounts.create_user(email="bench@example.vn", name="Bench", password="bench-password-1",
                                    role=role, now=now)
        access.add_organizer(ceremony_id, user.id, now=now)  # they plan it, so they see it
        db.session.commit()
        return ceremony_id, user.id


def time_smtp_send() -> list[float]:
    """Sum the time spent inside SMTPTransport.send (what the floor does), in this
    process only; the app's code is untouched. The app sends on a thread of its own,
    so this overlaps the rest and is not a share of the total. Returns [seconds]."""
    from scheduler.mail.transports import SMTPTransport
    smtp_send, sending = SMTPTransport.send, [0.0]

    def timed_send(self, *positional, **named):
        began = time.perf_counter()
        try:
            return smtp_send(self, *positional, **named)
        finally:
            sending[0] += time.perf_counter() - began
    SMTPTransport.send = timed_send
    return sending


@contextmanager
def profiled(path: str | None):
    """Profile the block into `path`: pyinstrument's text report if it ends in .txt
    (truer shares of wall time, but keeps every sample in memory), else cProfile
    stats (call counts, but inflates code that makes many small calls)."""
    if not path:
        yield
        return
    if path.endswith(".txt"):
        from pyinstrument import Profiler
        profiler = Profiler(interval=0.001)
        profiler.start()
        try:
            yield
        finally:
            profiler.stop()
            Path(path).write_text(profiler.output_text(show_all=False))
    else:
        import cProfile
        profiler = cProfile.Profile()
        profiler.enable()
        try:
            yield
        finally:
            profiler.disable()
            profiler.dump_stats(path)


def replay(sample_path: str, count: int, port: int) -> dict:
    """The floor: plain smtplib, one connection, the app's own messages replayed."""
    with open(sample_path, "rb") as handle:
        sample = pickle.load(handle)
    batch = [sample[i % len(sample)] for i in range(count)]  # built before timing
    connection = smtplib.SMTP("127.0.0.1", port, timeout=30)
    started = time.perf_counter()
    for sender, recipients, data in batch:
        connection.sendmail(sender, recipients, data)
    seconds = time.perf_counter() - started
    connection.quit()
    return {"seconds": seconds, "peak_rss_kib": peak_rss_kib()}


# In the orchestrator: no app, no database driver.

def run_phase(script: str, name: str, args, *extra: str) -> dict:
    """Run `script --phase name` in a fresh process; return what it emitted."""
    command = [sys.executable, str(Path(script).resolve()), "--phase", name,
               "--url", args.url, "--instance", args.instance, *extra]
    done = subprocess.run(command, capture_output=True, text=True, cwd=ROOT)
    if done.returncode != 0:  # stderr (Alembic's chatter, warnings) only matters on failure
        sys.exit(f"{done.stderr}\nphase {name} failed (exit {done.returncode})")
    line = next(l for l in reversed(done.stdout.splitlines()) if l.startswith("RESULT "))
    return json.loads(line[len("RESULT "):])


def postgres(server_url: str, sql: str) -> None:
    """Run one statement with psycopg in a child process, keeping this process (and the
    ru_maxrss its children inherit) free of the driver."""
    subprocess.run([sys.executable, "-c", "import psycopg, sys; psycopg.connect(sys.argv[1], "
                    "autocommit=True).execute(sys.argv[2])", server_url, sql], check=True)


@contextmanager
def scratch_database(server_url: str | None, name: str):
    """(instance directory, database URL), both removed afterwards: a throwaway
    database `bench_<name>_<random>` on that PostgreSQL server, else SQLite in the
    instance directory."""
    instance = tempfile.mkdtemp(prefix=f"bench-{name}-")
    pg_name = None
    try:
        if server_url:
            pg_name = f"bench_{name}_{uuid.uuid4().hex[:10]}"
            postgres(server_url, f'CREATE DATABASE "{pg_name}"')
            url = urlunsplit(urlsplit(server_url)._replace(path="/" + pg_name))
        else:
            url = f"sqlite:///{instance}/bench.sqlite3"
        yield instance, url
    finally:
        if pg_name:
            postgres(server_url, f'DROP DATABASE IF EXISTS "{pg_name}" WITH (FORCE)')
        shutil.rmtree(instance, ignore_errors=True)


def code_version() -> str:
    """The app changes under active development: tie every figure to the code it measured."""
    git = lambda *a: subprocess.run(["git", *a], cwd=ROOT, capture_output=True, text=True).stdout
    dirty = [line[3:] for line in git("status", "--porcelain", "scheduler", "templates").splitlines()]
    return f"commit {git('rev-parse', '--short', 'HEAD').strip()}" + (
        f" + uncommitted {' '.join(dirty)}" if dirty else "")


def print_profile(path: str, what: str) -> None:
    print(f"\nProfile of the {what} (the timings above include profiler overhead):")
    if path.endswith(".txt"):
        print(Path(path).read_text())
    else:
        import pstats
        pstats.Stats(path).sort_stats("cumulative").print_stats(40)


def national_arguments(parser, profiled_phase: str | None = None) -> None:
    """The options every national benchmark takes: size, database, and for the SMTP
    ones the floor's message count and a profile of the timed phase."""
    parser.add_argument("--sites", type=int, default=3356, help="1 host + bridge sites (national: 3356)")
    parser.add_argument("--per-site", type=int, default=15, help="attendees per site (national: 15)")
    parser.add_argument("--database-url", help="postgresql://user@host:port/db: a throwaway "
                        "database is created on that server and dropped afterwards; default SQLite")
    if profiled_phase:
        parser.add_argument("--floor-count", type=int, default=0,
                            help="messages the floor sends (default: as many as the app sent)")
        parser.add_argument("--profile", help=f"profile the {profiled_phase} into this file: cProfile "
                            "stats, or pyinstrument's text report if the name ends in .txt "
                            "(pip install pyinstrument)")


def sanity_verdict(checks: list[tuple[bool, str]]) -> int:
    """Print every failed check; the exit status: 1 if any failed (not a missed goal)."""
    problems = [text for ok, text in checks if not ok]
    for problem in problems:
        print("SANITY FAILED: " + problem)
    return 1 if problems else 0
