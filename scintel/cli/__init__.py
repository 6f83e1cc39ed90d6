"""Command-line interface. Each command lives in its own module and registers on `app`."""

from __future__ import annotations

import sys

import click

from scintel.cli import db, load, profile  # noqa: F401  (register commands)
from scintel.cli import crawl  # noqa: F401  (register commands)
from scintel.cli import digest  # noqa: F401  (register commands)
from scintel.cli import enrich  # noqa: F401  (register commands)
from scintel.cli import impact  # noqa: F401  (register commands)
from scintel.cli import run  # noqa: F401  (register commands)
from scintel.cli.app import app, err_console
from scintel.errors import ScintelError


def main() -> None:
    """Entry point: run the app, turning known errors into one line and exit code 2."""
    try:
        app(standalone_mode=False)
    except ScintelError as exc:
        err_console.print(f"[red]scintel: error:[/] {exc}", highlight=False, soft_wrap=True)
        sys.exit(2)
    except click.exceptions.Abort:
        err_console.print("aborted")
        sys.exit(130)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
