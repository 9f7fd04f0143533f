"""SMTP with STARTTLS and authentication, against a real server with a private CA."""
import ssl

import pytest
import trustme
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

from scheduler.mail.transports import SMTPSettings, SMTPTransport, TransientError

from .smtp_sink import Handler, free_port

MESSAGE = b"From: a@example.vn\r\nTo: b@example.vn\r\nSubject: test\r\n\r\nxin ch\xc3\xa0o\r\n"


def check_password(server, session, envelope, mechanism, auth_data):
    ok = isinstance(auth_data, LoginPassword) and \
        (auth_data.login, auth_data.password) == (b"ban-to-chuc", b"mat-khau-dung")
    return AuthResult(success=ok, handled=False)  # let the server answer 535 itself


@pytest.fixture
def tls_server(tmp_path):
    authority = trustme.CA()
    certificate = authority.issue_cert("127.0.0.1", "localhost")
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    certificate.configure_cert(context)
    ca_file = tmp_path / "ca.pem"
    authority.cert_pem.write_to_path(str(ca_file))
    handler = Handler()
    controller = Controller(handler, hostname="127.0.0.1", port=free_port(), tls_context=context,
                            require_starttls=True, authenticator=check_password,
                            auth_required=True, auth_require_tls=True)
    controller.start()
    yield controller, handler, str(ca_file)
    controller.stop()


def settings(controller, ca_file, password="mat-khau-dung"):
    return SMTPSettings(host="127.0.0.1", port=controller.port, security="starttls",
                        username="ban-to-chuc", password=password, timeout=5, ca_file=ca_file)


def test_starttls_and_login_deliver(tls_server):
    controller, handler, ca_file = tls_server
    transport = SMTPTransport(settings(controller, ca_file))
    transport.open()
    transport.send("a@example.vn", "b@example.vn", MESSAGE)
    transport.close()
    assert [m.data for m in handler.messages] == [MESSAGE]


def test_wrong_password_or_untrusted_certificate_delays_instead_of_dropping(tls_server):
    controller, handler, ca_file = tls_server
    with pytest.raises(TransientError, match="authentication failed"):
        SMTPTransport(settings(controller, ca_file, password="sai")).open()
    with pytest.raises(TransientError, match="cannot reach"):
        SMTPTransport(settings(controller, "")).open()  # the system CAs do not know ours
    assert handler.messages == []
