"""The streams a run writes to, and what they are: passed in, never looked up.

Tests build an Environment around StringIO objects instead of patching `sys.stdout`.
"""

from __future__ import annotations

import os
import sys

from mlpath.errors import OutputError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import TextIO


class Environment:
    """Standard streams, whether stdout is a terminal, and the styling people asked for."""

    __slots__ = (
        "colour",
        "height",
        "paging",
        "stderr",
        "stdin",
        "stdin_is_terminal",
        "stdout",
        "stdout_is_terminal",
        "styled",
        "width",
    )

    def __init__(
        self,
        stdout: TextIO,
        stderr: TextIO | None = None,
        stdin: TextIO | None = None,
        stdout_is_terminal: bool = False,
        stdin_is_terminal: bool = False,
        colour: bool = False,
        width: int | None = None,
        styled: bool | None = None,
        height: int | None = None,
        paging: bool = False,
    ) -> None:
        # Rows of the terminal, and whether long output may go through a pager there.
        self.height = height
        self.paging = paging
        # Laid out for a terminal (Rich tables): at one, or asked for with FORCE_COLOR.
        self.styled = stdout_is_terminal if styled is None else styled
        # Columns to fit plain text into at a terminal (None: no folding, as in a pipe).
        self.width = width
        self.stdout = stdout
        self.stderr = stderr
        self.stdin = stdin
        self.stdout_is_terminal = stdout_is_terminal
        self.stdin_is_terminal = stdin_is_terminal
        self.colour = colour

    @classmethod
    def from_process(cls) -> Environment:
        out = sys.stdout
        tty = _isatty(out)
        # FORCE_COLOR asks for the terminal's look where there is none (`| less -R`).
        styled = tty or force_colour_wanted()
        return cls(
            stdout=out,
            stderr=sys.stderr,
            stdin=sys.stdin,
            stdout_is_terminal=tty,
            stdin_is_terminal=_isatty(sys.stdin),
            colour=styled and not no_styling_wanted(),
            width=terminal_width(out) if styled else None,
            styled=styled,
            height=terminal_height(out) if tty else None,
            paging=tty,
        )

    def with_streams(self, stdout: TextIO, stderr: TextIO | None) -> Environment:
        """This environment, writing to other streams (mlpath.answer_cache records them)."""
        return Environment(
            stdout=stdout,
            stderr=stderr,
            stdin=self.stdin,
            stdout_is_terminal=self.stdout_is_terminal,
            stdin_is_terminal=self.stdin_is_terminal,
            colour=self.colour,
            width=self.width,
            styled=self.styled,
            height=self.height,
            paging=self.paging,
        )

    def write(self, text: str) -> None:
        """Write to stdout; a stream that cannot take it is a one-line error."""
        try:
            self.stdout.write(text)
        except BrokenPipeError:
            raise  # the reader has gone: mlpath.cli ends quietly
        except OSError as exc:
            raise output_error(exc) from None

    def write_utf8(self, data: bytes) -> None:
        """Write text already encoded as UTF-8: as bytes under a UTF-8 stream that
        writes lines as they are (a long table is not decoded to be encoded again),
        else as text."""
        buffer = getattr(self.stdout, "buffer", None)
        encoding = str(getattr(self.stdout, "encoding", "") or "").lower().replace("_", "-")
        if buffer is None or encoding not in ("utf-8", "utf8") or os.linesep != "\n":
            self.write(data.decode("utf-8"))
            return
        try:
            self.stdout.flush()
            buffer.write(data)
        except BrokenPipeError:
            raise
        except OSError as exc:
            raise output_error(exc) from None

    def flush(self) -> None:
        """Push what was written out now, so a failure is known before a change commits."""
        try:
            self.stdout.flush()
        except BrokenPipeError:
            raise
        except OSError as exc:
            raise output_error(exc) from None

    def error_line(self, text: str) -> None:
        if self.stderr is None:
            return  # started with stderr closed: nowhere to say it
        try:
            self.stderr.write(text + "\n")
            self.stderr.flush()
        except OSError:
            pass


def terminal_width(stream: object) -> int:
    """COLUMNS if set, else the terminal's own width, else 80."""
    return _dimension(stream, "COLUMNS", 0) or 80


def terminal_height(stream: object) -> int | None:
    """LINES if set, else the terminal's own height; None when neither is known."""
    return _dimension(stream, "LINES", 1) or None


def _dimension(stream: object, variable: str, index: int) -> int:
    """The variable if it holds a positive number, else the terminal's size; 0 if none."""
    try:
        size = int(os.environ.get(variable, "0"))
    except ValueError:
        size = 0
    if size <= 0:
        try:
            size = os.get_terminal_size(stream.fileno())[index]  # type: ignore[attr-defined]
        except (AttributeError, OSError, ValueError):
            size = 0
    return max(size, 0)


def _isatty(stream: object) -> bool:
    isatty = getattr(stream, "isatty", None)
    try:
        return bool(isatty()) if isatty else False
    except (OSError, ValueError):
        return False


def force_colour_wanted() -> bool:
    """FORCE_COLOR set to anything but nothing or 0 (force-color.org), NO_COLOR not."""
    return os.environ.get("FORCE_COLOR", "") not in ("", "0") and not no_styling_wanted()


def no_styling_wanted() -> bool:
    """NO_COLOR (any value) or a dumb terminal: no escape codes at all."""
    return bool(os.environ.get("NO_COLOR")) or os.environ.get("TERM") == "dumb"


def output_error(exc: OSError) -> OutputError:
    from mlpath.i18n import _
    from mlpath.os_errors import os_reason

    return OutputError(_("cannot write the output: {why}").format(why=os_reason(exc)))


def output_closed() -> OutputError:
    from mlpath.i18n import _

    return OutputError(_("cannot write the output: standard output is closed"))
