"""API credentials for spiders: environment first, else an Airflow connection.

Secrets are held in objects whose repr masks them, so a stray log line or
traceback never prints one.
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass, field

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ClientCredentials:
    """An OAuth2 client id and secret (e.g. an EPO OPS consumer key and secret)."""

    key: str
    secret: str = field(repr=False)
    origin: str = "environment"

    def __repr__(self) -> str:
        return f"ClientCredentials(key=***, secret=***, origin={self.origin!r})"


def airflow_connection(conn_id: str) -> tuple[str, str] | None:
    """(login, password) of an Airflow connection, or None when Airflow or the connection is absent."""
    try:
        from airflow.sdk import BaseHook
    except ImportError:
        log.info("Airflow is not installed; connection %r not looked up", conn_id)
        return None
    try:
        conn = BaseHook.get_connection(conn_id)
    except Exception as exc:  # noqa: BLE001 - Airflow raises its own NotFound and config errors
        log.warning("Airflow connection %r not available: %s", conn_id, type(exc).__name__)
        return None
    if not conn.login or not conn.password:
        log.warning("Airflow connection %r lacks a login or password", conn_id)
        return None
    return conn.login, conn.password


def client_credentials(
    key_env: str, secret_env: str, conn_id: str | None = None
) -> ClientCredentials | None:
    """Key and secret from two environment variables, else from an Airflow connection."""
    key, secret = os.environ.get(key_env, "").strip(), os.environ.get(secret_env, "").strip()
    if key and secret:
        return ClientCredentials(key, secret)
    if conn_id and (found := airflow_connection(conn_id)):
        return ClientCredentials(found[0], found[1], origin=f"Airflow connection {conn_id!r}")
    return None
