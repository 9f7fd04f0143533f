"""Webhook benchmark: the national check-in told to one receiver, against the same
signed bodies posted by a bare requests Session.

    python bench/webhooks.py [--sites 3356] [--per-site 15] [--database-url postgresql://…]

Setup: real migrations, the generator's national ceremony (3,356 sites, 50,340
people), an admin with one endpoint subscribed to `attendee.checked_in`.
Record phase: every person checked in through the real signal
(`signals.attendee_checked_in`), one transaction each as the coordinator's scan
makes it: half of them with the endpoint off (the check-in alone, the floor of
this phase), half with it on (the check-in plus its webhook event).
Deliver phase: back-to-back passes of `delivery.deliver_due` (what the scheduler
runs every PASS_SECONDS) until nothing is due, against a receiver in its own
process (a ThreadingHTTPServer answering 204). Reports events/s and the number of
passes it took.
Floor: the same stored bodies with their signature headers, built before timing,
posted by one requests.Session over keep-alive to the same receiver.
Each phase runs in its own process (bench/common.py), so peak RSS is its own.
"""
import argparse
import multiprocessing
import sys
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from common import (code_version, emit, make_app, national_arguments, national_setup, peak_rss_kib,
                    run_phase, sanity_verdict, scratch_database)

PASS_SECONDS = 5  # scheduler/background/cli.py


class Receiver(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as a real gateway would

    def do_POST(self):
        self.rfile.read(int(self.headers["Content-Length"]))
        self.send_response(204)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


def serve(port_queue) -> None:
    server = ThreadingHTTPServer(("127.0.0.1", 0), Receiver)
    port_queue.put(server.server_address[1])
    server.serve_forever()


def phase_setup(args) -> None:
    from datetime import UTC, datetime, timedelta

    app = make_app(args.url, args.instance)
    from scheduler.extensions import db
    from scheduler.integrations.webhooks import operations as hooks

    ceremony_id, admin_id = national_setup(app, args, role="admin", seed=11, starts_in=timedelta(days=1))
    with app.app_context():
        endpoint = hooks.create_endpoint(admin_id, {
            "url": f"http://127.0.0.1:{args.port}/hook", "description": "bench", "ceremony_id": None,
            "events": ["attendee.checked_in"], "active": True}, now=datetime.now(UTC))
        db.session.commit()
        emit({"ceremony_id": ceremony_id, "endpoint_id": endpoint.id})


def phase_record(args) -> None:
    """Each check-in in its own transaction, as the coordinator's scan makes it: first
    the ceremony's first half with no endpoint subscribed (the check-in alone), then
    the second half with the endpoint on (the check-in plus its webhook event)."""
    from datetime import UTC, datetime

    from sqlalchemy import func, select, update

    app = make_app(args.url, args.instance)
    from scheduler import signals
    from scheduler.extensions import db
    from scheduler.integrations.webhooks.models import WebhookDelivery, WebhookEndpoint
    from scheduler.planning.models import Attendee

    def check_in(person_ids) -> float:
        started = time.perf_counter()
        for person_id in person_ids:
            person = db.session.get(Attendee, person_id)
            person.attendance, person.attendance_at = "present", datetime.now(UTC)
            signals.attendee_checked_in.send(person, attendance="present")
            db.session.commit()
        return time.perf_counter() - started

    with app.app_context():
        ids = db.session.scalars(select(Attendee.id).where(Attendee.ceremony_id == args.ceremony)
                                 .order_by(Attendee.id)).all()
        half = len(ids) // 2
        db.session.execute(update(WebhookEndpoint).values(active=False))
        db.session.commit()
        bare = check_in(ids[:half])
        db.session.execute(update(WebhookEndpoint).values(active=True))
        db.session.commit()
        told = check_in(ids[half:])
        queued = db.session.scalar(select(func.count()).select_from(WebhookDelivery))
    emit({"bare": bare / half, "told": told / (len(ids) - half), "events": len(ids) - half,
          "queued": queued, "peak_rss_kib": peak_rss_kib()})


def phase_deliver(args) -> None:
    from datetime import UTC, datetime

    from sqlalchemy import func, select

    app = make_app(args.url, args.instance, WEBHOOK_ALLOWED_HOSTS=["127.0.0.1"])
    from scheduler.extensions import db
    from scheduler.integrations.webhooks import delivery
    from scheduler.integrations.webhooks.models import WebhookDelivery

    with app.app_context():
        passes, delivered, started = 0, 0, time.perf_counter()
        while True:
            counts = delivery.deliver_due(now=datetime.now(UTC))
            passes += 1
            delivered += counts["delivered"]
            if counts["delivered"] + counts["retry"] + counts["failed"] == 0:
                break
            assert counts["retry"] == counts["failed"] == 0, counts
        seconds = time.perf_counter() - started
        left = db.session.scalar(select(func.count()).select_from(WebhookDelivery)
                                 .where(WebhookDelivery.status != "delivered"))
    emit({"seconds": seconds, "delivered": delivered, "passes": passes - 1, "left": left,
          "peak_rss_kib": peak_rss_kib()})


def phase_floor(args) -> None:
    """The stored bodies, signed like the app signs, posted by a bare Session."""
    from sqlalchemy import select

    import requests

    app = make_app(args.url, args.instance)
    from scheduler.extensions import db
    from scheduler.integrations.webhooks import signing
    from scheduler.integrations.webhooks.models import WebhookEndpoint, WebhookEvent

    with app.app_context():
        secret = db.session.get(WebhookEndpoint, args.endpoint).secret
        rows = db.session.execute(select(WebhookEvent.public_id, WebhookEvent.body)
                                  .order_by(WebhookEvent.id)).all()
    stamp = int(time.time())
    batch = []
    for public_id, body in rows:
        data = body.encode("utf-8")
        batch.append((data, {**signing.headers(public_id, stamp, data, [secret])}))
    url = f"http://127.0.0.1:{args.port}/hook"
    with requests.Session() as session:
        started = time.perf_counter()
        for data, headers in batch:
            response = session.post(url, data=data, headers=headers, timeout=(3.05, 10),
                                    allow_redirects=False)
            assert response.status_code == 204
        seconds = time.perf_counter() - started
    emit({"seconds": seconds, "posted": len(batch), "peak_rss_kib": peak_rss_kib()})


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--phase")
    parser.add_argument("--url")
    parser.add_argument("--instance")
    parser.add_argument("--ceremony", type=int)
    parser.add_argument("--endpoint", type=int)
    parser.add_argument("--port", type=int)
    national_arguments(parser)
    args = parser.parse_args()
    if args.phase:
        {"setup": phase_setup, "record": phase_record, "deliver": phase_deliver,
         "floor": phase_floor}[args.phase](args)
        return 0
    ports = multiprocessing.Queue()
    receiver = multiprocessing.Process(target=serve, args=(ports,), daemon=True)
    receiver.start()
    args.port = ports.get(timeout=10)
    try:
        with scratch_database(args.database_url, "webhooks") as (instance, url):
            args.url, args.instance = url, instance
            if url.startswith("postgresql://"):
                args.url = "postgresql+psycopg://" + url[len("postgresql://"):]
            extra = ["--sites", str(args.sites), "--per-site", str(args.per_site), "--port", str(args.port)]
            setup = run_phase(__file__, "setup", args, *extra)
            extra += ["--ceremony", str(setup["ceremony_id"]), "--endpoint", str(setup["endpoint_id"])]
            record = run_phase(__file__, "record", args, *extra)
            deliver = run_phase(__file__, "deliver", args, *extra)
            floor = run_phase(__file__, "floor", args, *extra)
    finally:
        receiver.terminate()
    database = "PostgreSQL" if args.database_url else "SQLite"
    events = record["events"]
    print(f"Webhooks, {events:,} check-ins (half the people) told to one endpoint on {database} ({code_version()}):")
    print(f"  a check-in in its own transaction: {record['bare'] * 1000:.2f} ms without an endpoint, "
          f"{record['told'] * 1000:.2f} ms with its webhook event recorded "
          f"({record['told'] / record['bare']:.2f}×), peak RSS {record['peak_rss_kib'] / 1024:.0f} MB")
    rate = deliver["delivered"] / deliver["seconds"]
    floor_rate = floor["posted"] / floor["seconds"]
    print(f"  deliver: {deliver['seconds']:.1f} s = {rate:,.0f} events/s in {deliver['passes']} pass(es) "
          f"(each stops starting batches after 60 s of HTTP; the scheduler runs one every "
          f"{PASS_SECONDS} s), peak RSS {deliver['peak_rss_kib'] / 1024:.0f} MB")
    print(f"  floor (bare requests.Session, same bodies and headers): {floor['seconds']:.1f} s = "
          f"{floor_rate:,.0f} events/s")
    print(f"  ratio app/floor: {deliver['seconds'] / floor['seconds']:.2f}")
    return sanity_verdict([
        (record["queued"] == events, f"{record['queued']} deliveries queued for {events} events"),
        (deliver["delivered"] == events and deliver["left"] == 0,
         f"{deliver['delivered']} delivered, {deliver['left']} left"),
        (floor["posted"] == events, f"floor posted {floor['posted']}"),
    ])


if __name__ == "__main__":
    sys.exit(main())
