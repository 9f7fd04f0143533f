"""The HTTP side of a delivery: a requests Session that talks only to addresses
the SSRF rules allow, and one POST that comes back as a plain outcome.

DNS rebinding: the name is checked before each delivery, but it is resolved
again when urllib3 connects, and a hostile DNS server may answer differently the
second time. Rather than pin the checked IP (which means re-implementing SNI and
certificate checks for the host name), every new connection checks the address
it is *actually* connected to (`sock.getpeername()`) before TLS and before a
byte of the request is written; a refused peer closes the socket. TLS, SNI,
certificate verification and the Host header stay exactly as requests does them.
"""
import time
from dataclasses import dataclass

import requests
from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool
from urllib3.exceptions import HTTPError as Urllib3Error

from . import targets

EXCERPT_BYTES = 2048  # of a receiver's answer, for the log; the rest is never read


@dataclass(frozen=True)
class Outcome:
    ok: bool
    status_code: int | None
    error: str
    excerpt: str
    duration_ms: int
    retry_after: str | None = None  # a 429/503's Retry-After header, as sent


def _pool_classes(policy: targets.Policy) -> dict:
    class PeerChecked:
        def _new_conn(self):
            sock = super()._new_conn()
            reason = targets.refusal_for_peer(self.host, sock.getpeername()[0], policy)
            if reason:
                sock.close()
                raise targets.RefusedTarget("refused_address", reason)
            return sock

    class Http(PeerChecked, HTTPConnection):
        pass

    class Https(PeerChecked, HTTPSConnection):
        pass

    class HttpPool(HTTPConnectionPool):
        ConnectionCls = Http

    class HttpsPool(HTTPSConnectionPool):
        ConnectionCls = Https

    return {"http": HttpPool, "https": HttpsPool}


class _PeerCheckedAdapter(HTTPAdapter):
    def __init__(self, policy: targets.Policy):
        self._pool_classes = _pool_classes(policy)
        # No retries here: a retry is a durable row with a backoff (delivery.py),
        # not a loop inside one pass.
        super().__init__(max_retries=0)

    def init_poolmanager(self, *args, **kwargs):
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = self._pool_classes


def session_for(policy: targets.Policy) -> requests.Session:
    session = requests.Session()
    session.trust_env = False  # no HTTP(S)_PROXY: the peer we check must be the receiver
    adapter = _PeerCheckedAdapter(policy)
    session.mount("http://", adapter)
    session.mount("https://", adapter)
    return session


def post(session: requests.Session, url: str, body: bytes, headers: dict, *, timeout,
         policy: targets.Policy) -> Outcome:
    started = time.monotonic()

    def took() -> int:
        return int((time.monotonic() - started) * 1000)

    try:
        targets.check_url(url, policy)  # the name's answer now, with a readable reason
        response = session.post(url, data=body, headers=headers, timeout=timeout,
                                allow_redirects=False, stream=True)
        try:
            raw = response.raw.read(EXCERPT_BYTES, decode_content=True) or b""
        finally:
            response.close()
    except targets.RefusedTarget as refused:
        return Outcome(False, None, f"refused: {refused}", "", took())
    except requests.Timeout as error:
        return Outcome(False, None, f"timed out: {error}"[:1000], "", took())
    except (requests.RequestException, Urllib3Error, OSError) as error:
        return Outcome(False, None, f"could not deliver: {error}"[:1000], "", took())
    excerpt = raw.decode("utf-8", errors="replace")
    code = response.status_code
    if 200 <= code < 300:
        return Outcome(True, code, "", excerpt, took())
    if 300 <= code < 400:
        error = f"HTTP {code}: redirects are not followed ({response.headers.get('Location', '')[:300]})"
    else:
        error = f"HTTP {code}"
    retry_after = response.headers.get("Retry-After") if code in (429, 503) else None
    return Outcome(False, code, error, excerpt, took(), retry_after)

