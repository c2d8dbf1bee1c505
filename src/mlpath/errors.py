"""The one error family mlpath raises for anything a user can cause or fix."""

from __future__ import annotations


class MlpathError(Exception):
    """Base of every error mlpath reports to the user as one line, exit code 1."""


class CatalogError(MlpathError):
    """The catalog file is missing, not JSON, or fails validation."""


class UnknownResource(MlpathError):
    """An id or prefix names no resource in the catalog."""


class AmbiguousResource(MlpathError):
    """A prefix matches more than one resource."""


class UnknownChoice(MlpathError):
    """A filter value (section, kind, status) is not one of the known values."""


class StoreError(MlpathError):
    """The progress store cannot be opened, read or written."""


class ImportFileError(MlpathError):
    """An export file given to `mlpath import` is unreadable or invalid."""


class NothingToUndo(MlpathError):
    """`mlpath undo` found no change left to revert."""


class PlanError(MlpathError):
    """A plan cannot be made from these inputs (no pace, or a pace of zero)."""


class OutputError(MlpathError):
    """Standard output cannot be written (a full disk, a file size limit)."""


class ExportError(MlpathError):
    """`mlpath export` cannot write its output file."""


class UsageError(MlpathError):
    """The command line asks for something impossible (exit code 2, as Click's own)."""

    exit_code = 2


class UnknownPart(MlpathError):
    """A part number, range or id names no part of the resource."""


class InvalidText(MlpathError):
    """Text given to mlpath is not valid Unicode (bytes that are not UTF-8, a lone surrogate)."""


class UnsafeLocation(MlpathError):
    """A file or directory mlpath would write could be changed or read by another user."""


class UnusableValue(UsageError):
    """A value on the command line that its option or argument cannot take."""

    def __init__(self, message: str, command: str) -> None:
        super().__init__(message)
        self.command = command


class DefinitionError(MlpathError):
    """A definition of an own resource or own parts is not one mlpath can read."""


class GoalError(MlpathError):
    """A goal cannot be set as asked (a pace out of range, a scope that does not exist)."""


class SyncError(MlpathError):
    """`mlpath sync` cannot use its folder, its state or this machine's own log."""


class SyncFileProblem(MlpathError):
    """Another machine's sync log was skipped: unreadable, cut short, newer or not a log."""

    def __init__(self, message: str, path: str, what: str, own_advice: str) -> None:
        # The message is for another machine's log; what is wrong, and what to do were
        # it this machine's own, make the message for that one (mlpath.sync_log).
        super().__init__(message)
        self.path = path
        self.what = what
        self.own_advice = own_advice
