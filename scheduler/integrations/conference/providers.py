"""Build the provider a meeting row names, from the app's settings."""
from flask import current_app

from .base import Provider, ProviderError
from .jitsi import JitsiProvider
from .rest import RestProvider

PROVIDERS = ("none", "jitsi", "rest")


def configured_name() -> str:
    name = str(current_app.config.get("CONFERENCE_PROVIDER") or "none").lower()
    return name if name in PROVIDERS else "none"


def timeout() -> tuple[float, float]:
    value = current_app.config["CONFERENCE_TIMEOUT"]
    if isinstance(value, (int, float)):  # SCHEDULER_CONFERENCE_TIMEOUT=10
        return (float(value), float(value))
    connect, read = value  # SCHEDULER_CONFERENCE_TIMEOUT='[5, 30]'
    return (float(connect), float(read))


def jitsi() -> JitsiProvider:
    return JitsiProvider(current_app.config["JITSI_BASE_URL"])


def build(name: str) -> Provider:
    config = current_app.config
    if name == "jitsi":
        return jitsi()
    if name == "rest":
        return RestProvider(config["CONFERENCE_REST_URL"], config["CONFERENCE_REST_TOKEN"] or "",
                            timeout=timeout(), retries=int(config["CONFERENCE_HTTP_RETRIES"]),
                            backoff=float(config["CONFERENCE_HTTP_BACKOFF"]))
    raise ProviderError(f"unknown provider {name!r}", permanent=True)


class Providers:
    """One provider (one HTTP session) per name for a whole pass."""

    def __init__(self):
        self._built: dict[str, Provider] = {}

    def get(self, name: str) -> Provider:
        if name not in self._built:
            self._built[name] = build(name)
        return self._built[name]

    def close(self) -> None:
        for provider in self._built.values():
            provider.close()
