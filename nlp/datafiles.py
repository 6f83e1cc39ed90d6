"""Reading the profile's NLP data files with errors that name the file and line."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from scintel.config import ENV_PROFILE
from scintel.errors import ScintelError

M = TypeVar("M", bound=BaseModel)


def data_error(path: Path, message: str, line: int | None = None) -> ScintelError:
    where = f"{path}:{line}" if line is not None else str(path)
    return ScintelError(f"{where}: {message}", ENV_PROFILE)


def describe(exc: ValidationError) -> str:
    first = exc.errors(include_url=False)[0]
    where = ".".join(str(p) for p in first["loc"]) or "value"
    more = f" (+{exc.error_count() - 1} more)" if exc.error_count() > 1 else ""
    return f"{where}: {first['msg']}{more}"


def read_jsonl(path: Path) -> Iterator[tuple[int, Any]]:
    """(line number, parsed JSON) for each non-blank, non-comment line."""
    if not path.is_file():
        raise data_error(path, "file not found")
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            text = line.strip()
            if not text or text.startswith("#"):
                continue
            try:
                yield number, json.loads(text)
            except json.JSONDecodeError as exc:
                raise data_error(path, f"invalid JSON: {exc.msg}", number) from None


def read_yaml(path: Path, model: type[M]) -> M:
    """Parse and validate a YAML data file."""
    if not path.is_file():
        raise data_error(path, "file not found")
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise data_error(path, "invalid YAML", mark.line + 1 if mark else None) from None
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise data_error(path, describe(exc)) from None
