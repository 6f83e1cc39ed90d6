"""Errors that the CLI turns into one clear line instead of a traceback."""

from __future__ import annotations


class ScintelError(Exception):
    """A user-facing error; `setting` names the option or variable at fault, if any."""

    def __init__(self, message: str, setting: str | None = None) -> None:
        super().__init__(message)
        self.setting = setting

    def __str__(self) -> str:
        text = super().__str__()
        return f"{self.setting}: {text}" if self.setting else text
