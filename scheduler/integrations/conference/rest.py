"""A generic REST provider (contract in the README): JSON over a requests Session.

Short faults are retried inside the call by urllib3's Retry, for idempotent
methods only (a POST is never resent blindly; the background pass resends it
with the same Idempotency-Key). Everything slower is the pass's backoff.
"""
import requests
from requests.adapters import HTTPAdapter
from urllib3.util.retry import Retry

from .base import Meeting, MeetingPlan, ProviderError

# Statuses the pass retries later; every other 4xx is the request's own fault.
TRANSIENT_4XX = frozenset({408, 409, 429})
RETRY_AFTER_CAP = 10.0  # seconds a call may wait on Retry-After inside one pass
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


def _error_text(response: requests.Response, redact) -> str:
    try:
        data = response.json()
    except ValueError:
        data = None
    if isinstance(data, dict) and isinstance(data.get("error") or data.get("message"), str):
        detail = data.get("error") or data.get("message")
    else:
        detail = response.text
    return f"HTTP {response.status_code}: {redact(detail).strip()[:500]}".rstrip(": ")


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
              missing_ok: bool = False) -> requests.Response | None:
        headers = {"Idempotency-Key": key} if key else {}
        try:
            response = self.session.request(method, self.base_url + path, json=body,
                                            headers=headers, timeout=self.timeout)
        except requests.Timeout as error:
            raise ProviderError(self._redact(f"timed out: {error}"), permanent=False,
                                unavailable=True) from error
        except requests.RequestException as error:  # connection refused, reset, DNS, TLS
            raise ProviderError(self._redact(f"cannot reach the provider: {error}"), permanent=False,
                                unavailable=True) from error
        if missing_ok and response.status_code == 404:
            return None
        if response.status_code >= 400:
            permanent = response.status_code < 500 and response.status_code not in TRANSIENT_4XX
            raise ProviderError(_error_text(response, self._redact), permanent=permanent,
                                retry_after=_retry_after(response),
                                unavailable=response.status_code >= 500 or response.status_code == 429)
        return response

    @staticmethod
    def _meeting(response: requests.Response) -> Meeting:
        try:
            data = response.json()
        except ValueError:
            data = None
        if not isinstance(data, dict) or not isinstance(data.get("id"), (str, int)) or data["id"] == "":
            raise ProviderError(f"HTTP {response.status_code}: the answer has no meeting id",
                                permanent=True)

        def text(name: str) -> str:
            value = data.get(name)
            if isinstance(value, list):  # several dial-in numbers
                value = "\n".join(str(v) for v in value)
            return str(value).strip() if value is not None else ""

        return Meeting(external_id=str(data["id"]), join_url=text("join_url"),
                       dial_in=text("dial_in"), host_url=text("host_url"))

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
