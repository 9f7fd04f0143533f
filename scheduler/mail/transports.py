"""Where messages go: an SMTP server, or .eml files under instance/ for development."""
import smtplib
import ssl
from dataclasses import dataclass
from pathlib import Path


class TransientError(Exception):
    """Try again later: the server is down, busy, or answered 4xx."""


class RecipientDeferred(TransientError):
    """4xx for this recipient only (greylisting, a full mailbox): retry it later,
    keep sending the others on the same connection."""


class PermanentError(Exception):
    """Do not retry: the server refused this recipient or message (5xx)."""


@dataclass
class SMTPSettings:
    host: str = "localhost"
    port: int = 25
    security: str = "none"  # "none", "starttls" or "ssl"
    username: str = ""
    password: str = ""
    timeout: float = 30.0
    ca_file: str = ""  # a private CA for an internal mail server; empty = the system's

    def tls_context(self) -> ssl.SSLContext:
        return ssl.create_default_context(cafile=self.ca_file or None)


class SMTPTransport:
    """One connection per batch; each message is one transaction on it."""

    def __init__(self, settings: SMTPSettings):
        self.settings = settings
        self.connection: smtplib.SMTP | None = None

    def open(self) -> None:
        s = self.settings
        try:
            if s.security == "ssl":
                self.connection = smtplib.SMTP_SSL(s.host, s.port, timeout=s.timeout,
                                                   context=s.tls_context())
            else:
                self.connection = smtplib.SMTP(s.host, s.port, timeout=s.timeout)
                if s.security == "starttls":
                    self.connection.starttls(context=s.tls_context())
            if s.username:
                self.connection.login(s.username, s.password)
        except smtplib.SMTPAuthenticationError as error:
            self._drop()
            raise TransientError(
                f"authentication failed: {error.smtp_code} {_text(error.smtp_error)}") from error
        except (OSError, smtplib.SMTPException) as error:
            self._drop()
            raise TransientError(f"cannot reach {s.host}:{s.port}: {error}") from error

    def send(self, sender: str, recipient: str, message: bytes, name: str = "") -> str:
        """Send one message; returns the server's answer. Bytes pass through unchanged (CRLF)."""
        if self.connection is None:
            self.open()
        try:
            refused = self.connection.sendmail(sender, [recipient], message)
        except smtplib.SMTPRecipientsRefused as error:
            code, answer = error.recipients[recipient]
            if 400 <= code < 500:  # smtplib has already sent RSET
                raise RecipientDeferred(f"{code} {_text(answer)}") from error
            raise _classify(code, answer) from error
        except smtplib.SMTPResponseException as error:
            raise _classify(error.smtp_code, error.smtp_error) from error
        except (OSError, smtplib.SMTPServerDisconnected) as error:
            self._drop()
            raise TransientError(f"connection lost: {error}") from error
        if refused:  # only one recipient, so this cannot be partial
            code, answer = refused[recipient]
            raise _classify(code, answer)
        return "250 accepted"

    def close(self) -> None:
        if self.connection is not None:
            try:
                self.connection.quit()
            except (OSError, smtplib.SMTPException):
                pass
            self._drop()

    def _drop(self) -> None:
        if self.connection is not None:
            self.connection.close()
            self.connection = None


class FileTransport:
    """Development: each message becomes instance/outbox/<name>.eml, as sent over SMTP."""

    def __init__(self, directory: str | Path):
        self.directory = Path(directory)

    def open(self) -> None:
        self.directory.mkdir(parents=True, exist_ok=True)

    def send(self, sender: str, recipient: str, message: bytes, name: str = "") -> str:
        path = self.directory / f"{name or 'message'}.eml"
        path.write_bytes(message)
        return f"written to {path.name}"

    def close(self) -> None:
        pass


def _text(answer) -> str:
    return answer.decode("utf-8", "replace") if isinstance(answer, bytes) else str(answer)


def _classify(code: int, answer) -> Exception:
    message = f"{code} {_text(answer)}"
    return PermanentError(message) if 500 <= code < 600 else TransientError(message)
