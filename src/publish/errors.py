"""The one exception type users read.

Anything the user can fix (bad input, a missing tool or font) is raised as a
PublishError; the CLI prints it as one line ``file:line: message`` and exits
with status 1.  Everything else is a bug and keeps its traceback.
"""
from __future__ import annotations


def where(path: str | None, line: int | None) -> str:
    """``path:line: `` as a message starts, or nothing."""
    return path + (f":{line}" if line else "") + ": " if path else ""


class PublishError(Exception):
    def __init__(self, message: str, path: str | None = None, line: int | None = None):
        super().__init__(message)
        self.message = message
        self.path = str(path) if path is not None else None
        self.line = line

    def __str__(self) -> str:
        return where(self.path, self.line) + self.message


class PublishWarning:
    """Something the user should hear about that does not stop the command:
    printed as ``publish: path:line: warning: message`` on standard error."""

    __slots__ = ("message", "path", "line")

    def __init__(self, message: str, path: str | None = None, line: int | None = None):
        self.message = message
        self.path = str(path) if path is not None else None
        self.line = line

    def __str__(self) -> str:
        return where(self.path, self.line) + "warning: " + self.message

    def __repr__(self) -> str:
        return f"PublishWarning({self.message!r}, path={self.path!r}, line={self.line!r})"

    def __eq__(self, other) -> bool:
        return isinstance(other, PublishWarning) and \
            (self.message, self.path, self.line) == (other.message, other.path, other.line)

    __hash__ = None
