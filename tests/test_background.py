"""`flask dev` serves and delivers in one process; `flask run-due` does one pass."""
import os
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from .smtp_sink import free_port

ROOT = Path(__file__).resolve().parent.parent


def cli(*args, env, **kwargs):
    return subprocess.run([sys.executable, "-m", "flask", "--app", "wsgi", *args], cwd=ROOT,
                          env=env, capture_output=True, text=True, timeout=120, **kwargs)


def test_dev_command_serves_and_delivers_the_demo_invitations(tmp_path):
    env = {**os.environ, "SCHEDULER_INSTANCE_PATH": str(tmp_path),
           "DATABASE_URL": f"sqlite:///{tmp_path}/dev.sqlite3"}
    env.pop("TEST_DATABASE_URL", None)
    assert cli("db", "upgrade", env=env).returncode == 0
    demo = cli("demo", env=env)
    assert demo.returncode == 0 and "queued" in demo.stdout
    port = free_port()
    server = subprocess.Popen([sys.executable, "-m", "flask", "--app", "wsgi", "dev", "--port", str(port)],
                              cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 30
        outbox = tmp_path / "outbox"
        while time.monotonic() < deadline:
            sent = list(outbox.glob("*.eml")) if outbox.exists() else []
            if len(sent) >= 30:
                break
            time.sleep(0.2)
        assert len(sent) >= 30, "the background worker did not deliver the demo's invitations"
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/login", timeout=5) as page:
            assert page.status == 200
    finally:
        server.terminate()
        output = server.communicate(timeout=10)[0].decode()
    assert output.count("with the background worker") == 1  # one worker, one server
    again = cli("run-due", env=env)  # nothing left: a pass finds no work
    assert again.returncode == 0 and "'sent': 0" in again.stdout
