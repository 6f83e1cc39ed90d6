"""Command-line interface. Each command lives in its own module and registers on `app`."""

from __future__ import annotations

import sys
from types import ModuleType

import typer
from sqlalchemy.exc import DBAPIError

from scintel.cli import (  # noqa: F401  (register commands)
    annotate,
    crawl,
    db,
    digest,
    enrich,
    impact,
    load,
    nlp,
    profile,
    run,
)
from scintel.cli.app import app
from scintel.errors import ScintelError

# Typer 0.22+ bundles its own click: catch the exceptions of the click the app runs on.
_click: ModuleType = sys.modules[typer.BadParameter.__module__]
_EXIT = tuple({typer.Exit, getattr(_click, "Exit", typer.Exit)})
_ABORT = tuple({typer.Abort, getattr(_click, "Abort", typer.Abort), KeyboardInterrupt})


def fail(message: str, code: int = 2) -> None:
    """Print one literal line (no markup, no traceback) and exit."""
    first = " ".join(str(message).split("\n")[0].split())
    sys.stderr.write(f"scintel: error: {first}\n")
    sys.exit(code)


def _database_message(exc: DBAPIError) -> str:
    """The driver's own first line, never the statement or its parameters."""
    orig = str(exc.orig).strip().splitlines() or [type(exc.orig).__name__]
    text = orig[0]
    if "database is locked" in text:
        text += " (another process is writing the SQLite warehouse; retry when it has finished)"
    return f"database: {text}"


def main() -> None:
    """Entry point: run the app, turning known errors into one line and exit code 2."""
    try:
        app(standalone_mode=False)
    except ScintelError as exc:
        fail(str(exc))
    except _ABORT:
        sys.stderr.write("aborted\n")
        sys.exit(130)
    except _click.UsageError as exc:
        if type(exc).__name__ == "NoArgsIsHelpError":
            sys.stdout.write(exc.ctx.get_help() + "\n")
            sys.exit(0)
        hint = f" (see '{exc.ctx.command_path} --help')" if exc.ctx is not None else ""
        fail(exc.format_message() + hint, exc.exit_code)
    except _click.ClickException as exc:
        fail(exc.format_message(), exc.exit_code)
    except _EXIT as exc:
        sys.exit(exc.exit_code)
    except DBAPIError as exc:
        fail(_database_message(exc))
