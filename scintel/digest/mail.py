"""SMTP delivery: a multipart/alternative message (text + HTML with inline charts).

The server comes from the environment (SCINTEL_SMTP_URL, or SCINTEL_SMTP_HOST and
friends) or from an Airflow connection (SCINTEL_SMTP_CONN_ID); the password is never logged.
"""

from __future__ import annotations

import logging
import os
import smtplib
import ssl
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

from scintel.digest.charts import Chart
from scintel.errors import ScintelError

log = logging.getLogger(__name__)

ENV_SMTP_URL = "SCINTEL_SMTP_URL"
ENV_SMTP_HOST = "SCINTEL_SMTP_HOST"
ENV_SMTP_PORT = "SCINTEL_SMTP_PORT"
ENV_SMTP_USER = "SCINTEL_SMTP_USER"
ENV_SMTP_PASSWORD = "SCINTEL_SMTP_PASSWORD"
ENV_SMTP_SECURITY = "SCINTEL_SMTP_SECURITY"
ENV_SMTP_CA_FILE = "SCINTEL_SMTP_CA_FILE"
ENV_SMTP_CONN_ID = "SCINTEL_SMTP_CONN_ID"
SECURITY_MODES = ("starttls", "tls", "none")
DEFAULT_PORTS = {"starttls": 587, "tls": 465, "none": 25}


@dataclass(frozen=True)
class SmtpConfig:
    """Where and how to deliver; `security` is starttls (default), tls (implicit) or none."""

    host: str
    port: int
    security: str = "starttls"
    username: str | None = None
    password: str | None = field(default=None, repr=False)
    ca_file: str | None = None
    timeout: float = 30.0

    def describe(self) -> str:
        user = f"{self.username}@" if self.username else ""
        return f"smtp://{user}{self.host}:{self.port} ({self.security})"


def _security(value: str, setting: str) -> str:
    mode = value.strip().lower()
    if mode not in SECURITY_MODES:
        raise ScintelError(f"unknown SMTP security {value!r}; use one of {SECURITY_MODES}", setting)
    return mode


def _port(value: str | int | None, security: str, setting: str) -> int:
    if value in (None, ""):
        return DEFAULT_PORTS[security]
    try:
        return int(value)
    except (TypeError, ValueError):
        raise ScintelError(f"not a port number: {value!r}", setting) from None


def _from_url(raw: str, env: Mapping[str, str]) -> SmtpConfig:
    """smtp://user:pass@host:587 (STARTTLS), smtps://...:465 (TLS); ?security=none for relays."""
    parts = urlsplit(raw)
    if parts.scheme not in ("smtp", "smtps") or not parts.hostname:
        raise ScintelError(
            "expected smtp://[user:password@]host[:port] or smtps://...", ENV_SMTP_URL
        )
    query = parse_qs(parts.query)
    default = "tls" if parts.scheme == "smtps" else "starttls"
    security = _security(
        query.get("security", [env.get(ENV_SMTP_SECURITY) or default])[0], ENV_SMTP_URL
    )
    try:
        port = parts.port
    except ValueError:
        raise ScintelError("the URL's port is not a number", ENV_SMTP_URL) from None
    return SmtpConfig(
        host=parts.hostname,
        port=port or DEFAULT_PORTS[security],
        security=security,
        username=unquote(parts.username) if parts.username else None,
        password=unquote(parts.password) if parts.password else env.get(ENV_SMTP_PASSWORD),
        ca_file=env.get(ENV_SMTP_CA_FILE),
    )


def _from_airflow(conn_id: str, env: Mapping[str, str]) -> SmtpConfig:
    """An Airflow SMTP connection, honouring the SMTP provider's disable_ssl/disable_tls extras."""
    try:
        from airflow.sdk import BaseHook
    except ImportError:
        raise ScintelError(
            "Airflow is not installed; unset it or install scintel[airflow]", ENV_SMTP_CONN_ID
        ) from None
    try:
        conn = BaseHook.get_connection(conn_id)
    except Exception as exc:  # noqa: BLE001  (Airflow raises its own not-found types)
        raise ScintelError(f"no Airflow connection {conn_id!r}: {exc}", ENV_SMTP_CONN_ID) from None
    extra: dict[str, Any] = conn.extra_dejson or {}
    if "security" in extra:
        security = _security(str(extra["security"]), ENV_SMTP_CONN_ID)
    elif not _flag(extra.get("disable_ssl", False)):
        security = "tls"
    elif not _flag(extra.get("disable_tls", False)):
        security = "starttls"
    else:
        security = "none"
    if not conn.host:
        raise ScintelError(f"Airflow connection {conn_id!r} has no host", ENV_SMTP_CONN_ID)
    return SmtpConfig(
        host=conn.host,
        port=_port(conn.port, security, ENV_SMTP_CONN_ID),
        security=security,
        username=conn.login or None,
        password=conn.password or None,
        ca_file=extra.get("ca_file") or env.get(ENV_SMTP_CA_FILE),
        timeout=float(extra.get("timeout", 30)),
    )


def _flag(value: Any) -> bool:
    return value is True or str(value).strip().lower() in ("1", "true", "yes", "on")


def smtp_config(environ: Mapping[str, str] | None = None) -> SmtpConfig:
    """The SMTP server from the environment or an Airflow connection, or a clear error."""
    env = os.environ if environ is None else environ
    if env.get(ENV_SMTP_URL):
        return _from_url(env[ENV_SMTP_URL], env)
    if env.get(ENV_SMTP_HOST):
        security = _security(env.get(ENV_SMTP_SECURITY) or "starttls", ENV_SMTP_SECURITY)
        return SmtpConfig(
            host=env[ENV_SMTP_HOST],
            port=_port(env.get(ENV_SMTP_PORT), security, ENV_SMTP_PORT),
            security=security,
            username=env.get(ENV_SMTP_USER) or None,
            password=env.get(ENV_SMTP_PASSWORD) or None,
            ca_file=env.get(ENV_SMTP_CA_FILE),
        )
    if env.get(ENV_SMTP_CONN_ID):
        return _from_airflow(env[ENV_SMTP_CONN_ID], env)
    raise ScintelError(
        f"no SMTP server configured: set {ENV_SMTP_URL} (smtp://user:password@host:587), "
        f"{ENV_SMTP_HOST}/{ENV_SMTP_PORT}/{ENV_SMTP_USER}/{ENV_SMTP_PASSWORD}, "
        f"or {ENV_SMTP_CONN_ID} (an Airflow connection)",
        ENV_SMTP_URL,
    )


def build_message(
    subject: str,
    sender: str,
    recipients: Sequence[str],
    text: str,
    html: str,
    charts: Sequence[Chart],
    content_ids: Mapping[str, str],
) -> EmailMessage:
    """multipart/alternative: text/plain, then multipart/related(text/html, inline PNGs)."""
    message = EmailMessage()
    message["Subject"] = subject
    message["From"] = sender
    message["To"] = ", ".join(recipients)
    message["Date"] = formatdate(localtime=False, usegmt=True)
    message["Message-ID"] = make_msgid(domain=sender.rpartition("@")[2] or "scintel")
    message.set_content(text, subtype="plain", cte="quoted-printable")
    message.add_alternative(html, subtype="html", cte="quoted-printable")
    html_part = message.get_payload()[1]
    for chart in charts:
        html_part.add_related(
            chart.png,
            "image",
            "png",
            cid=f"<{content_ids[chart.name]}>",
            filename=chart.filename,
            disposition="inline",
        )
    return message


def send(config: SmtpConfig, message: EmailMessage, recipients: Sequence[str]) -> None:
    """Deliver over STARTTLS, implicit TLS or (for local relays) plain SMTP."""
    context = (
        ssl.create_default_context(cafile=config.ca_file)
        if config.ca_file
        else (ssl.create_default_context())
    )
    log.info("sending digest to %d recipients via %s", len(recipients), config.describe())
    try:
        if config.security == "tls":
            client: smtplib.SMTP = smtplib.SMTP_SSL(
                config.host, config.port, timeout=config.timeout, context=context
            )
        else:
            client = smtplib.SMTP(config.host, config.port, timeout=config.timeout)
        with client:
            client.ehlo()
            if config.security == "starttls":
                client.starttls(context=context)
                client.ehlo()
            if config.username:
                client.login(config.username, config.password or "")
            refused = client.send_message(message, to_addrs=list(recipients))
    except (smtplib.SMTPException, OSError, ssl.SSLError) as exc:
        raise ScintelError(f"cannot send via {config.describe()}: {exc}", ENV_SMTP_URL) from None
    if refused:
        raise ScintelError(f"recipients refused by {config.describe()}: {sorted(refused)}")
