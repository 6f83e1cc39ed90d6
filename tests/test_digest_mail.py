"""Digest delivery to a real local SMTP server (aiosmtpd) over STARTTLS and implicit TLS."""

from __future__ import annotations

import email
import email.policy
import re
import socket
import ssl
from collections.abc import Iterator
from email.message import EmailMessage
from pathlib import Path

import pytest
import trustme
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from scintel.config import Settings
from scintel.digest import build_digest
from scintel.digest.mail import SmtpConfig, smtp_config
from scintel.errors import ScintelError
from scintel.profile import load_profile
from scintel.storage import models as m
from tests.digest_warehouse import WEEK, populate

USER, PASSWORD = "digest-bot", "s3cret-Passw0rd"
RECIPIENTS = ["officer.one@example.org", "officer.two@example.org"]


class Inbox:
    """aiosmtpd handler: keeps every message it receives, parsed, with its envelope."""

    def __init__(self) -> None:
        self.received: list[tuple[str, list[str], EmailMessage]] = []

    async def handle_DATA(self, server, session, envelope) -> str:
        parsed = email.message_from_bytes(envelope.content, policy=email.policy.default)
        self.received.append((envelope.mail_from, list(envelope.rcpt_tos), parsed))
        return "250 Message accepted for delivery"


def _authenticate(server, session, envelope, mechanism, auth_data) -> AuthResult:
    ok = isinstance(auth_data, LoginPassword) and (
        auth_data.login.decode(),
        auth_data.password.decode(),
    ) == (USER, PASSWORD)
    return AuthResult(success=ok, handled=False)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def certificates(tmp_path_factory: pytest.TempPathFactory) -> tuple[ssl.SSLContext, Path]:
    """A throwaway CA and a server certificate for 127.0.0.1."""
    ca = trustme.CA()
    server = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert("127.0.0.1", "localhost").configure_cert(server)
    ca_file = tmp_path_factory.mktemp("ca") / "ca.pem"
    ca.cert_pem.write_to_path(str(ca_file))
    return server, ca_file


@pytest.fixture
def starttls_server(certificates) -> Iterator[tuple[Inbox, int]]:
    inbox = Inbox()
    controller = Controller(
        inbox,
        hostname="127.0.0.1",
        port=_free_port(),
        tls_context=certificates[0],
        require_starttls=True,
        auth_required=True,
        authenticator=_authenticate,
    )
    controller.start()
    yield inbox, controller.port
    controller.stop()


@pytest.fixture
def tls_server(certificates) -> Iterator[tuple[Inbox, int]]:
    inbox = Inbox()
    controller = Controller(
        inbox,
        hostname="127.0.0.1",
        port=_free_port(),
        ssl_context=certificates[0],
        auth_required=True,
        authenticator=_authenticate,
        auth_require_tls=False,
    )
    controller.start()
    yield inbox, controller.port
    controller.stop()


def _profile():
    profile = load_profile("ket-biotech")
    return profile.model_copy(
        update={
            "digest": profile.digest.model_copy(
                update={"recipients": RECIPIENTS, "sender": "scintel@example.org"}
            )
        }
    )


def test_digest_is_delivered_over_starttls(
    warehouse: Engine, tmp_path: Path, starttls_server, certificates
) -> None:
    inbox, port = starttls_server
    populate(warehouse)
    env = {
        "SCINTEL_SMTP_URL": f"smtp://{USER}:{PASSWORD}@127.0.0.1:{port}",
        "SCINTEL_SMTP_CA_FILE": str(certificates[1]),
    }
    settings = Settings(warehouse.url, tmp_path / "var", "ket-biotech")
    result = build_digest(settings, _profile(), WEEK, tmp_path / "out", send=True, environ=env)

    assert result.sent_to == RECIPIENTS
    [(sender, rcpts, message)] = inbox.received
    assert sender == "scintel@example.org" and rcpts == RECIPIENTS
    assert message["To"] == ", ".join(RECIPIENTS)
    assert message["Subject"] == (
        "KET Biotechnology weekly intelligence digest: 2026-W47 (16–22 Nov 2026)"
    )
    assert message.get_content_type() == "multipart/alternative"
    plain, related = message.get_payload()
    assert plain.get_content_type() == "text/plain"
    assert "## Calls closing within 30 days" in plain.get_content()
    assert related.get_content_type() == "multipart/related"
    html_part, *images = related.get_payload()
    html = html_part.get_content()
    assert html_part.get_content_type() == "text/html"
    assert "Solugen raises $200 million" in html and "data:image" not in html
    referenced = re.findall(r'src="cid:([^"]+)"', html)
    assert len(referenced) == 2
    assert [i.get_content_type() for i in images] == ["image/png", "image/png"]
    assert [i["Content-ID"].strip("<>") for i in images] == referenced
    assert all(i.get_content_disposition() == "inline" for i in images)
    assert images[0].get_content() == result.chart_paths[0].read_bytes()

    with Session(warehouse) as session:
        archived = session.scalars(select(m.Digest)).one()
    assert archived.sent_at is not None


@pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS:UserWarning")
def test_digest_is_delivered_over_implicit_tls(
    sqlite_warehouse: Engine, tmp_path: Path, tls_server, certificates
) -> None:
    inbox, port = tls_server
    populate(sqlite_warehouse)
    env = {
        "SCINTEL_SMTP_HOST": "127.0.0.1",
        "SCINTEL_SMTP_PORT": str(port),
        "SCINTEL_SMTP_SECURITY": "tls",
        "SCINTEL_SMTP_USER": USER,
        "SCINTEL_SMTP_PASSWORD": PASSWORD,
        "SCINTEL_SMTP_CA_FILE": str(certificates[1]),
    }
    settings = Settings(sqlite_warehouse.url, tmp_path / "var", "ket-biotech")
    build_digest(settings, _profile(), WEEK, tmp_path / "out", send=True, environ=env)
    assert len(inbox.received) == 1


def test_wrong_password_or_untrusted_certificate_fails_clearly(
    sqlite_warehouse: Engine, tmp_path: Path, starttls_server, certificates
) -> None:
    inbox, port = starttls_server
    settings = Settings(sqlite_warehouse.url, tmp_path / "var", "ket-biotech")
    wrong = {
        "SCINTEL_SMTP_URL": f"smtp://{USER}:nope@127.0.0.1:{port}",
        "SCINTEL_SMTP_CA_FILE": str(certificates[1]),
    }
    with pytest.raises(
        ScintelError, match=r"cannot send via smtp://digest-bot@127\.0\.0\.1"
    ) as err:
        build_digest(settings, _profile(), WEEK, tmp_path, send=True, environ=wrong)
    assert "nope" not in str(err.value)
    untrusted = {"SCINTEL_SMTP_URL": f"smtp://{USER}:{PASSWORD}@127.0.0.1:{port}"}
    with pytest.raises(ScintelError, match="CERTIFICATE_VERIFY_FAILED"):
        build_digest(settings, _profile(), WEEK, tmp_path, send=True, environ=untrusted)
    assert inbox.received == []


def test_smtp_settings_from_env_and_airflow_connection(monkeypatch: pytest.MonkeyPatch) -> None:
    assert smtp_config({"SCINTEL_SMTP_URL": "smtps://a%40b.org:p%2Fw@mail.example.org"}) == (
        SmtpConfig(
            host="mail.example.org", port=465, security="tls", username="a@b.org", password="p/w"
        )
    )
    relay = smtp_config({"SCINTEL_SMTP_URL": "smtp://relay.internal:25?security=none"})
    assert (relay.security, relay.port, relay.username) == ("none", 25, None)
    assert "p/w" not in repr(smtp_config({"SCINTEL_SMTP_URL": "smtps://u:p%2Fw@h"}))
    with pytest.raises(ScintelError, match="SCINTEL_SMTP_URL: expected smtp://"):
        smtp_config({"SCINTEL_SMTP_URL": "http://mail.example.org"})
    with pytest.raises(ScintelError, match="SCINTEL_SMTP_SECURITY: unknown SMTP security"):
        smtp_config({"SCINTEL_SMTP_HOST": "h", "SCINTEL_SMTP_SECURITY": "ssl3"})
    with pytest.raises(ScintelError, match="no SMTP server configured"):
        smtp_config({})

    monkeypatch.setenv(
        "AIRFLOW_CONN_SCINTEL_SMTP",
        (
            '{"conn_type": "smtp", "host": "smtp.example.org", "port": 587, "login": "bot", '
            '"password": "airflow-secret", "extra": {"disable_ssl": true}}'
        ),
    )
    config = smtp_config({"SCINTEL_SMTP_CONN_ID": "scintel_smtp"})
    assert config == SmtpConfig(
        host="smtp.example.org",
        port=587,
        security="starttls",
        username="bot",
        password="airflow-secret",
    )
    with pytest.raises(ScintelError, match="SCINTEL_SMTP_CONN_ID: no Airflow connection 'missing'"):
        smtp_config({"SCINTEL_SMTP_CONN_ID": "missing"})


def test_send_needs_recipients(sqlite_warehouse: Engine, tmp_path: Path) -> None:
    profile = load_profile("ket-biotech")
    nobody = profile.model_copy(
        update={"digest": profile.digest.model_copy(update={"recipients": []})}
    )
    settings = Settings(sqlite_warehouse.url, tmp_path / "var", "ket-biotech")
    with pytest.raises(ScintelError, match=r"digest\.recipients: profile 'ket-biotech' has no"):
        build_digest(
            settings, nobody, WEEK, tmp_path, send=True, environ={"SCINTEL_SMTP_HOST": "127.0.0.1"}
        )
