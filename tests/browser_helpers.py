"""What the real-browser journeys share: the app on a real socket, Debian's Chromium
driven by Playwright, pages that fail the test on any script or console error (a CSP
refusal among them), and signing in.

Test modules import the fixtures by name (`from .browser_helpers import browser, ...`)
so pytest finds them there.
"""
import os
import re
import shutil
import threading

import pytest
from werkzeug.serving import make_server

try:
    from playwright.sync_api import expect, sync_playwright
except ImportError:  # pragma: no cover - depends on the environment
    expect = sync_playwright = None

PASSWORD = "correct horse battery"


def _unavailable(reason: str):
    if os.environ.get("CI"):
        pytest.fail(f"{reason}: CI must run the browser journeys")
    pytest.skip(f"{reason}; browser journeys skipped")


@pytest.fixture(scope="module")
def live_url(app):
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    server.server_close()
    thread.join(timeout=5)


@pytest.fixture(scope="module")
def browser():
    if sync_playwright is None:
        _unavailable("playwright is not installed")
    path = shutil.which("chromium") or "/usr/bin/chromium"
    if not os.path.exists(path):
        _unavailable("Chromium not installed (apt-get install chromium)")
    with sync_playwright() as p:
        chromium = p.chromium.launch(
            executable_path=path, headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"])
        yield chromium
        chromium.close()


def watch(page, problems: list) -> None:
    """Collect what a user would not see but must not happen: script errors, CSP refusals."""
    page.on("console", lambda msg: msg.type == "error" and problems.append(
        f"console: {msg.text} at {msg.location.get('url')}"))
    page.on("pageerror", lambda exc: problems.append(f"pageerror: {exc}"))


@pytest.fixture
def page(browser, live_url, clock):
    context = browser.new_context(base_url=live_url, locale="vi-VN")
    page = context.new_page()
    page.set_default_timeout(5000)
    expect.set_options(timeout=5000)
    problems = []
    watch(page, problems)
    yield page
    context.close()
    assert not problems, "browser reported errors:\n" + "\n".join(problems)


class Browsers:
    """One browser context per person (own cookies, own clipboard), all watched."""

    def __init__(self, browser, live_url):
        self.browser, self.live_url = browser, live_url
        self.contexts, self.problems = [], []

    def open(self, **options):
        context = self.browser.new_context(base_url=self.live_url, locale="vi-VN", **options)
        self.contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(5000)
        watch(page, self.problems)
        return page

    def forgive(self, status: int, path: str) -> None:
        """Chromium logs an error page's status as a console error: drop the one the
        journey opened on purpose, and only that one."""
        wanted = f"status of {status} "
        url = self.live_url + path
        kept = [p for p in self.problems if not (wanted in p and p.endswith(f" at {url}"))]
        assert len(kept) < len(self.problems), f"no {status} was reported for {path}"
        self.problems[:] = kept

    def close(self) -> None:
        for context in self.contexts:
            context.close()


@pytest.fixture
def browsers(browser, live_url, clock):
    opened = Browsers(browser, live_url)
    expect.set_options(timeout=5000)
    yield opened
    opened.close()
    assert not opened.problems, "browser reported errors:\n" + "\n".join(opened.problems)


def sign_in(page, email):
    page.goto("/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page.get_by_role("link", name="Tạo lễ mới").first).to_be_visible()
    expect(page).not_to_have_url(re.compile(r"/login"))
