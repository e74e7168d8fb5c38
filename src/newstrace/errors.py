"""Exceptions raised on purpose by newstrace.

::

    NewstraceError              exit code 1
    ├── ConfigError             exit code 2  (bad settings file or option)
    ├── IngestError             exit code 1  (.source names the input)
    │   ├── FetchError
    │   └── ParseError
    ├── StoreError              exit code 1
    └── ModelUnavailableError   exit code 1  (an offline model package is missing)

In a batch, a bad document does not raise: the run records a
``Skipped(source, stage, reason)`` and goes on. Misuse of the API raises
plain ``ValueError``/``TypeError``.
"""

from __future__ import annotations

from typing import ClassVar


class NewstraceError(Exception):
    """Base class of every error newstrace raises on purpose."""

    exit_code: ClassVar[int] = 1


class ConfigError(NewstraceError):
    """A settings file or option is invalid."""

    exit_code: ClassVar[int] = 2


class IngestError(NewstraceError):
    """An input could not be read; ``source`` names it."""

    def __init__(self, message: str, *, source: str) -> None:
        super().__init__(f"{source}: {message}")
        self.source = source
        self.reason = message


class FetchError(IngestError):
    """A URL could not be fetched."""


class ParseError(IngestError):
    """An input was read but its content could not be understood."""


class StoreError(NewstraceError):
    """The article store failed."""


class ModelUnavailableError(NewstraceError):
    """A model package that a stage needs is not installed."""
