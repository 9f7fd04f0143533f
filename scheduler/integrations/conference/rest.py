"""A generic REST provider (contract in the README): JSON over a requests Session.

Short faults are retried inside the call by urllib3's Retry, for idempotent
methods only (a POST is never resent blindly; the background pass resends it
with the same Idempotency-Key). Everything slower is the pass's backoff.
"""
import json

import requests
from requests.adapters import HTTPAdapter
from urllib3.util.retry import Retry

from .base import Meeting, MeetingPlan, ProviderError

# Statuses the pass retries later; every other 4xx is the request's own fault.
TRANSIENT_4XX = frozenset({408, 409, 429})
RETRY_AFTER_CAP = 10.0  # seconds a call may wait on Retry-After inside one pass
MAX_ANSWER = 256 * 1024  # bytes of an answer we read: a meeting is a few hundred
MAX_ERROR = 4 * 1024  # bytes of an error answer kept for its message
MAX_DIAL_IN = 1000  # characters of dial-in text carried into every invitation
MAX_URL = 2000
MAX_ID = 200  # conference_meetings.external_id
RETRY_AFTER_MAX = 86_400.0  # a Retry-After the pass honours is cut to a day (then to its own cap)


class CappedRetry(Retry):
    """Retry that honours Retry-After but never sleeps the worker for minutes."""

    def get_retry_after(self, response):
        value = super().get_retry_after(response)
        return None if value is None else min(value, RETRY_AFTER_CAP)


def _retry_after(response: requests.Response) -> float | None:
    """Seconds (or an HTTP-date) to wait; nonsense is ignored and a huge value capped,
    so a provider's header can neither crash the pass nor park a meeting for years."""
    value = response.headers.get("Retry-After", "")
    if not value.strip():
        return None
    try:
        seconds = Retry().parse_retry_after(value)  # delta-seconds or an HTTP-date
    except Exception:  # urllib3's InvalidHeader, a date out of range …
        return None
    return min(max(float(seconds), 0.0), RETRY_AFTER_MAX)


def _json(content: bytes):
    try:
        return json.loads(content)
    except ValueError:  # not JSON, not UTF-8, or cut at our limit
        return None


def _error_text(status: int, content: bytes, redact) -> str:
    data = _json(content)
    if isinstance(data, dict) and isinstance(data.get("error") or data.get("message"), str):
        detail = data.get("error") or data.get("message")
    else:
        detail = content.decode("utf-8", "replace")
    return f"HTTP {status}: {redact(detail).strip()[:500]}".rstrip(": ")


def _dial_in(text: str) -> str:
    """At most MAX_DIAL_IN characters, cut at a line where possible."""
    if len(text) <= MAX_DIAL_IN:
        return text
    cut = text[:MAX_DIAL_IN]
    return (cut.rsplit("\n", 1)[0] if "\n" in cut else cut).rstrip()


class RestProvider:
    name = "rest"

    def __init__(self, base_url: str, token: str, *, timeout: tuple[float, float],
                 retries: int = 2, backoff: float = 0.5):
        if not base_url:
            raise ProviderError("CONFERENCE_REST_URL is not set", permanent=True)
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout
        self.session = requests.Session()
        retry = CappedRetry(total=retries, connect=retries, read=retries, status=retries,
                            status_forcelist=(502, 503, 504),
                            allowed_methods=frozenset({"GET", "PUT", "DELETE"}),
                            backoff_factor=backoff, respect_retry_after_header=True,
                            raise_on_status=False)  # the last answer comes back to be judged
        adapter = HTTPAdapter(max_retries=retry)
        self.session.mount("http://", adapter)
        self.session.mount("https://", adapter)
        self.session.headers.update({"Accept": "application/json"})
        # A token read from a file keeps its newline; requests would then refuse the header
        # with an error that quotes it, and the error is shown on the ceremony page.
        self._token = token.strip()
        if any(ch.isspace() or ord(ch) < 32 for ch in self._token):
            raise ProviderError("CONFERENCE_REST_TOKEN contains spaces or line breaks", permanent=True)
        if self._token:
            self.session.headers["Authorization"] = f"Bearer {self._token}"

    def _redact(self, text: str) -> str:
        """Errors are stored and shown: never with the token, even one a provider echoes."""
        return text.replace(self._token, "[token]") if self._token else text

    def close(self) -> None:
        self.session.close()

    def _call(self, method: str, path: str, *, key: str | None = None, body: dict | None = None,
              missing_ok: bool = False) -> tuple[int, bytes] | None:
        """(status, body) of a successful answer; the body is read up to a limit, never
        whole, so a provider cannot fill the worker's memory."""
        headers = {"Idempotency-Key": key} if key else {}
        try:
            with self.session.request(method, self.base_url + path, json=body, headers=headers,
                                      timeout=self.timeout, stream=True) as response:
                limit = MAX_ANSWER if response.status_code < 400 else MAX_ERROR
                content = b""
                for chunk in response.iter_content(16 * 1024):
                    content += chunk
                    if len(content) > limit:
                        break
        except requests.Timeout as error:
            raise ProviderError(self._redact(f"timed out: {error}"), permanent=False,
                                unavailable=True) from error
        except requests.RequestException as error:  # connection refused, reset, DNS, TLS
            raise ProviderError(self._redact(f"cannot reach the provider: {error}"), permanent=False,
                                unavailable=True) from error
        status = response.status_code
        if missing_ok and status == 404:
            return None
        if status >= 400:
            permanent = status < 500 and status not in TRANSIENT_4XX
            raise ProviderError(_error_text(status, content[:MAX_ERROR], self._redact), permanent=permanent,
                                retry_after=_retry_after(response),
                                unavailable=status >= 500 or status == 429)
        if len(content) > MAX_ANSWER:
            raise ProviderError(f"HTTP {status}: the answer is too large (over {MAX_ANSWER // 1024} KB)",
                                permanent=True)
        return status, content

    @staticmethod
    def _meeting(answer: tuple[int, bytes]) -> Meeting:
        status, content = answer
        data = _json(content)
        if not isinstance(data, dict) or not isinstance(data.get("id"), (str, int)) or data["id"] == "":
            raise ProviderError(f"HTTP {status}: the answer has no meeting id", permanent=True)
        if len(str(data["id"])) > MAX_ID:
            raise ProviderError(f"HTTP {status}: the meeting id is longer than {MAX_ID} characters",
                                permanent=True)

        def text(name: str) -> str:
            value = data.get(name)
            if isinstance(value, list):  # several dial-in numbers
                value = "\n".join(str(v) for v in value)
            return str(value).strip() if value is not None else ""

        def url(name: str) -> str:  # a longer one is refused by the pass like a javascript: link
            value = text(name)
            return value if len(value) <= MAX_URL else value[:MAX_URL] + " …"

        return Meeting(external_id=str(data["id"]), join_url=url("join_url"),
                       dial_in=_dial_in(text("dial_in")), host_url=url("host_url"))

    @staticmethod
    def _body(plan: MeetingPlan) -> dict:
        def iso(moment):
            return moment.strftime("%Y-%m-%dT%H:%M:%SZ")  # stored UTC: ISO 8601 with Z

        return {"title": plan.title, "starts_at": iso(plan.starts_at), "ends_at": iso(plan.ends_at),
                "timezone": plan.timezone, "external_ref": plan.uid}

    def create(self, plan: MeetingPlan, *, idempotency_key: str) -> Meeting:
        return self._meeting(self._call("POST", "/meetings", key=idempotency_key, body=self._body(plan)))

    def update(self, external_id: str, plan: MeetingPlan, *, idempotency_key: str) -> Meeting:
        return self._meeting(self._call("PUT", f"/meetings/{requests.utils.quote(external_id, safe='')}",
                                        key=idempotency_key, body=self._body(plan)))

    def get(self, external_id: str) -> Meeting:
        return self._meeting(self._call("GET", f"/meetings/{requests.utils.quote(external_id, safe='')}"))

    def delete(self, external_id: str, *, idempotency_key: str) -> None:
        # 404: already gone (deleted by hand, or by an earlier try whose answer was lost).
        self._call("DELETE", f"/meetings/{requests.utils.quote(external_id, safe='')}",
                   key=idempotency_key, missing_ok=True)
