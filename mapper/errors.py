"""Errors that the CLI turns into one line on stderr and an exit code (design section 5)."""

from __future__ import annotations

import difflib
from collections.abc import Iterable

from mapper.cells import inert


class IgfmapError(Exception):
    """Base class: ``exit_code`` is what the CLI exits with; ``str(err)`` is the one line."""

    exit_code = 1


class DataError(IgfmapError):
    """Invalid input data. ``issues`` holds every ``FILE:LINE[:COLUMN]: field: message``, each
    one inert line (:func:`~mapper.cells.inert`): a file name, key or header cell it quotes can
    hold ESC, U+202E or a newline."""

    exit_code = 1

    def __init__(self, issues: list[str]):
        self.issues = [inert(issue) for issue in issues]
        first = issues[0] if issues else "invalid data"
        more = f" (and {len(issues) - 1} more)" if len(issues) > 1 else ""
        super().__init__(first + more)


class NotFoundError(IgfmapError):
    """An id that is not in the store; the message carries a "did you mean" suggestion."""

    exit_code = 1


class BackendError(IgfmapError):
    """The Neo4j backend is unreachable, refused the credentials, or lacks the database."""

    exit_code = 3


class StoreChangedError(IgfmapError):
    """Another program replaced the store while a write read and changed it: nothing written."""

    exit_code = 1


class InterruptedAfterCommit(KeyboardInterrupt):
    """An interrupt that came after the commit point: the change was written (exit 130);
    ``str(err)`` says what was and was not done."""


#: The commit points this process has passed (what each wrote), so that an interrupt that comes
#: later (while the index is rebuilt, or while the CLI prints its summary) says the change was
#: written, not the opposite. A command starts with none (:func:`forget_commits`).
_COMMITTED: list[str] = []


def note_commit(what: str) -> None:
    """Record that ``what`` (one phrase: "s.json was written in full") is now committed."""
    _COMMITTED.append(what)


def commits() -> list[str]:
    """What this process has committed since :func:`forget_commits`, in order."""
    return list(_COMMITTED)


def forget_commits() -> None:
    _COMMITTED.clear()


class UsageError(IgfmapError):
    exit_code = 2


class GapsFoundError(IgfmapError):
    """Raised by ``gaps --fail-on-gaps`` after printing findings."""

    exit_code = 4


def did_you_mean(value: str, choices: Iterable[str], n: int = 1) -> str:
    """A hint for an error message: `` (did you mean 'x'?)`` for the closest choices, or ``""``.

    >>> did_you_mean("nri-netwrk", ["nri-network", "igf"])
    " (did you mean 'nri-network'?)"
    >>> did_you_mean("zzz", ["igf"])
    ''
    """
    close = difflib.get_close_matches(value, list(choices), n=n, cutoff=0.5)
    return f" (did you mean {' or '.join(repr(c) for c in close)}?)" if close else ""
