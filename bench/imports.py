"""Import benchmark: a national attendee list (50,340 rows) checked and written, against a floor.

    python bench/imports.py [--sites 3356] [--per-site 15] [--format csv|xlsx] [--database-url URL]

Setup: the generator's national ceremony, exported with the app's own exporter
(the file an organizer would download, edit and upload), and an empty ceremony
with the same sites to import it into.
App: what the pages and the background pass do: start_import (record the
upload), run_queued_imports (check, for the preview), request_write, and
run_queued_imports again (check again, then write all rows in one transaction).
Floor: plain csv.reader over the same bytes and a Core executemany INSERT of
the same rows (site looked up by code, name key computed) in one transaction.

Each phase runs in its own process so its peak RSS is its own (see bench/README.md).
"""
import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit

# bench/ is on sys.path when this file runs as a script; invitations.py imports only the stdlib.
from common import code_version, emit, rss_now_kib, sanity_verdict

ROOT = Path(__file__).resolve().parent.parent


def make_app(args):
    sys.path.insert(0, str(ROOT))
    from scheduler import create_app
    return create_app({"SQLALCHEMY_DATABASE_URI": args.url, "SECRET_KEY": "bench",
                       "INSTANCE_PATH": args.instance})


def peak_kib() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def phase_setup(args) -> None:
    from datetime import UTC, datetime, timedelta

    import flask_migrate
    from scheduler.devdata.generator import generate_ceremony
    from scheduler.extensions import db
    from scheduler.transfer import export
    from scheduler.transfer.columns import EXPORT_COLUMNS

    app = make_app(args)
    now = datetime.now(UTC)
    with app.app_context():
        flask_migrate.upgrade()
        ids = [generate_ceremony(db.session, sites=args.sites, attendees_per_site=per_site, seed=seed,
                                 starts_at=now + timedelta(days=30), now=now)
               for seed, per_site in ((11, args.per_site), (12, 0), (13, 0))]
        db.session.commit()
    with app.test_request_context():  # the exporter speaks the reader's language
        rows = export.rows_for("attendees", ids[0])
        if args.format == "csv":
            data = "".join(export.csv_chunks(EXPORT_COLUMNS["attendees"], rows)).encode("utf-8")
        else:
            data = export.xlsx_bytes(EXPORT_COLUMNS["attendees"], rows, "attendees")
    path = os.path.join(args.instance, f"attendees.{args.format}")
    Path(path).write_bytes(data)
    emit({"source": ids[0], "target": ids[1], "floor": ids[2], "file": path, "bytes": len(data)})


def phase_app(args) -> None:
    from datetime import UTC, datetime

    from sqlalchemy import func, select
    from scheduler.extensions import db
    from scheduler.planning.models import Attendee, Ceremony
    from scheduler.transfer import imports, jobs
    from scheduler.transfer.models import ImportJob

    app = make_app(args)
    data = Path(args.file).read_bytes()
    rss_before = rss_now_kib()
    with app.app_context():
        started = time.perf_counter()
        job = imports.start_import(db.session.get(Ceremony, args.target), "attendees",
                                   os.path.basename(args.file), data, now=datetime.now(UTC))
        db.session.commit()
        job_id = job.id
        del data
        db.session.remove()
        jobs.run_queued_imports(now=datetime.now(UTC))  # the preview's check
        checked = time.perf_counter()
        job = db.session.get(ImportJob, job_id)
        status_after_check, errors = job.status, job.report["errors"][:3]
        imports.request_write(job)
        db.session.commit()
        jobs.run_queued_imports(now=datetime.now(UTC))  # check again, then write
        finished = time.perf_counter()
        job = db.session.get(ImportJob, job_id)
        written = db.session.scalar(select(func.count()).select_from(Attendee)
                                    .where(Attendee.ceremony_id == args.target))
        emit({"check_seconds": checked - started, "write_seconds": finished - checked,
              "seconds": finished - started, "status_after_check": status_after_check,
              "status": job.status, "added": job.added_rows, "rows": job.total_rows,
              "written": written, "errors": errors, "rss_before_kib": rss_before,
              "peak_rss_kib": peak_kib()})


def phase_floor(args) -> None:
    """The least an import can do: parse the CSV and insert the rows, no checks."""
    import csv
    import io
    import secrets
    from datetime import UTC, datetime

    from sqlalchemy import insert, select
    from scheduler.extensions import db
    from scheduler.planning.models import Attendee, Site

    app = make_app(args)
    data = Path(args.file).read_bytes()
    with app.app_context():
        started = time.perf_counter()
        sites = dict(db.session.execute(select(Site.code, Site.id).where(Site.ceremony_id == args.floor)).all())
        if args.format == "csv":
            reader = csv.reader(io.StringIO(data.decode("utf-8-sig"), newline=""))
            next(reader)
        else:
            from openpyxl import load_workbook
            sheet = load_workbook(io.BytesIO(data), read_only=True).worksheets[0]
            reader = ([c or "" for c in row] for row in sheet.iter_rows(min_row=2, values_only=True))
        now, batch, count = datetime.now(UTC), [], 0
        keys = ("full_name", "rank", "position", "unit", "email", "phone", "category", "language")
        for row in reader:
            values = dict(zip(keys, row[1:]))
            batch.append({**values, "ceremony_id": args.floor, "site_id": sites[row[0]],
                          "name_key": values["full_name"].casefold(), "link_key": secrets.token_hex(16),
                          "created_at": now, "updated_at": now})
            if len(batch) == 1000:
                db.session.execute(insert(Attendee), batch)
                count, batch = count + len(batch), []
        if batch:
            db.session.execute(insert(Attendee), batch)
            count += len(batch)
        db.session.commit()
        emit({"seconds": time.perf_counter() - started, "written": count, "peak_rss_kib": peak_kib()})


def phase_cleanup(args) -> None:
    from sqlalchemy import delete
    from scheduler.extensions import db
    from scheduler.planning.models import Attendee, Ceremony

    app = make_app(args)
    with app.app_context():
        ids = [args.source, args.target, args.floor]
        db.session.execute(delete(Attendee).where(Attendee.ceremony_id.in_(ids)))
        db.session.execute(delete(Ceremony).where(Ceremony.id.in_(ids)))
        db.session.commit()
    emit({})


def run_phase(name: str, args, *extra: str) -> dict:
    command = [sys.executable, str(Path(__file__).resolve()), "--phase", name, "--url", args.url,
               "--instance", args.instance, "--format", args.format, *extra]
    done = subprocess.run(command, capture_output=True, text=True, cwd=ROOT)
    if done.returncode != 0:
        sys.exit(f"{done.stderr}\nphase {name} failed (exit {done.returncode})")
    line = next(l for l in reversed(done.stdout.splitlines()) if l.startswith("RESULT "))
    return json.loads(line[len("RESULT "):])


def orchestrate(args) -> int:
    args.instance = tempfile.mkdtemp(prefix="bench-imports-")
    # SQLite in a temporary directory; a PostgreSQL database is used as it is (migrated
    # to head) and the benchmark's ceremonies are deleted from it afterwards.
    args.url = args.database_url or f"sqlite:///{args.instance}/bench.sqlite3"
    ids = {}
    try:
        setup = run_phase("setup", args, "--sites", str(args.sites), "--per-site", str(args.per_site))
        ids = {k: str(setup[k]) for k in ("source", "target", "floor")}
        common = ("--file", setup["file"], "--source", ids["source"], "--target", ids["target"],
                  "--floor", ids["floor"])
        print(f"{time.strftime('%Y-%m-%d %H:%M')}; {code_version()}; {os.cpu_count()} cores;"
              f" load average {os.getloadavg()[0]:.2f}")
        print(f"database: {urlsplit(args.url).scheme}; {args.format} file of {setup['bytes'] / 1e6:.1f} MB,"
              f" {args.sites} sites x {args.per_site}", flush=True)
        app = run_phase("app", args, *common)
        floor = run_phase("floor", args, *common)
    finally:
        if ids and args.database_url:
            run_phase("cleanup", args, "--source", ids["source"], "--target", ids["target"],
                      "--floor", ids["floor"])
        shutil.rmtree(args.instance, ignore_errors=True)
    rows = app["written"]
    print(f"\napp:   {app['seconds']:.1f} s (check for the preview {app['check_seconds']:.1f} s,"
          f" check again + write {app['write_seconds']:.1f} s), {rows / app['seconds']:,.0f} rows/s,"
          f" RSS before {app['rss_before_kib'] / 1024:.0f} MB, peak RSS {app['peak_rss_kib'] / 1024:.0f} MB")
    print(f"floor: {floor['seconds']:.1f} s, {floor['written'] / floor['seconds']:,.0f} rows/s,"
          f" peak RSS {floor['peak_rss_kib'] / 1024:.0f} MB")
    print(f"app/floor = {app['seconds'] / floor['seconds']:.2f}x")
    expected = args.sites * args.per_site
    checks = [(app["status_after_check"] == "ready", f"check said {app['status_after_check']}: {app['errors']}"),
              (app["status"] == "done" and app["added"] == rows == expected,
               f"app wrote {rows} ({app['status']}), expected {expected}"),
              (floor["written"] == expected, f"floor wrote {floor['written']}, expected {expected}")]
    return sanity_verdict(checks)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sites", type=int, default=3356)
    parser.add_argument("--per-site", type=int, default=15)
    parser.add_argument("--format", choices=("csv", "xlsx"), default="csv")
    parser.add_argument("--database-url", help="postgresql://… of a database to use as it is; default SQLite")
    parser.add_argument("--phase", choices=("setup", "app", "floor", "cleanup"), help=argparse.SUPPRESS)
    for name in ("--url", "--instance", "--file"):
        parser.add_argument(name, help=argparse.SUPPRESS)
    for name in ("--source", "--target", "--floor"):
        parser.add_argument(name, type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.phase:
        {"setup": phase_setup, "app": phase_app, "floor": phase_floor,
         "cleanup": phase_cleanup}[args.phase](args)
    else:
        sys.exit(orchestrate(args))


if __name__ == "__main__":
    main()
