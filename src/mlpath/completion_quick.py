"""Shell completion answered without Typer, Click, Rich or pydantic.

A TAB press runs `mlpath` with `_MLPATH_COMPLETE=complete_bash` (or `_zsh`, `_fish`)
and the words typed so far in the environment; importing the Typer app just to read
them took about twelve times a bare `python -c pass`, which people feel on every TAB.
This module answers the requests it understands from :mod:`mlpath.definition` and
:mod:`mlpath.completion`, writing the bytes Typer's completion classes write for the
same request (typer/_completion_classes.py: bash one value a line, zsh an `_arguments`
spec with titles, fish `value<TAB>title` lines). Anything else (installing or showing
the script, another shell, unknown options, `--help`, help text Rich would restyle, or
rewrap with characters whose width is not known here) gets None, and mlpath.cli hands
the request to Typer as before; tests/test_completion_quick.py holds both paths to the
same bytes. Help is in the reader's language, as on Typer's path (typer_app.py).
"""

from __future__ import annotations

import os

from mlpath.definition import BY_NAME, COMMANDS, FLAG, GLOBAL_OPTIONS, Command, Option
from mlpath.i18n import _, activate
from mlpath.language import LANGS, spoken_lang

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Mapping, Sequence

    # (value, help); help None or "" shows the value alone.
    Item = tuple[str, "str | None"]

COMPLETE_VAR = "_MLPATH_COMPLETE"
SHELLS = ("bash", "zsh", "fish")

# What Click and Typer add to every command and to the root (typer_app.py declares
# --version; tests/test_completion_quick.py checks these against the Typer app).
# Click lists the help option's names in the order of a set made from the context's
# help_option_names (typer_app.py: -h, --help): string hashes decide it, so it changes
# from one process to the next. The same set made here gives this process's order.
HELP_OPTION_NAMES = ["-h", "--help"]
HELP_NAMES = tuple(set(HELP_OPTION_NAMES))  # as Command.get_help_option_names makes it
HELP_HELP = "Show this message and exit."
VERSION_HELP = "Show the version and exit."
INSTALL_HELP = "Install completion for the current shell."
SHOW_HELP = "Show completion for the current shell, to copy it or customize the installation."

# Click's limit for a command's short help beside its name.
SHORT_HELP_LIMIT = 45


class Param:
    """One option as Click sees it: primary and secondary names, help, and what it takes."""

    __slots__ = ("complete", "help", "many", "names", "secondary", "takes_value", "words")

    def __init__(
        self,
        names: tuple[str, ...],
        help: str,
        *,
        secondary: tuple[str, ...] = (),
        takes_value: bool = False,
        many: bool = False,
        complete: str | None = None,
        words: tuple[str, ...] = (),
    ) -> None:
        self.names = names
        self.secondary = secondary
        self.help = help
        self.takes_value = takes_value
        self.many = many
        self.complete = complete
        self.words = words


def _param(option: Option) -> Param:
    if option.kind == FLAG:
        if option.off:  # Typer declares it as "--free/--paid": one name each way
            return Param(option.names[:1], option.help, secondary=option.off[:1])
        return Param(option.names, option.help)
    return Param(
        option.names,
        option.help,
        takes_value=True,
        many=option.many,
        complete=option.complete,
        words=option.choices,
    )


HELP_PARAM = Param(HELP_NAMES, HELP_HELP)
# The root's options, in the order Click lists them.
ROOT_PARAMS = (
    Param(GLOBAL_OPTIONS[0].names, GLOBAL_OPTIONS[0].help, takes_value=True),
    Param(GLOBAL_OPTIONS[1].names, GLOBAL_OPTIONS[1].help, takes_value=True, words=LANGS),
    Param(GLOBAL_OPTIONS[2].names, GLOBAL_OPTIONS[2].help),
    Param(("--version",), VERSION_HELP),
    Param(("--install-completion",), INSTALL_HELP),
    Param(("--show-completion",), SHOW_HELP),
    HELP_PARAM,
)
# Root options a completion request may carry; the rest (--version, --help...) run
# callbacks or exit in Click even while completing, so Typer answers those.
ROOT_READ = ROOT_PARAMS[:3]


def answer(environ: Mapping[str, str]) -> tuple[str, int] | None:
    """What to print and the exit code for a completion request, or None for Typer."""
    operation, _, shell = environ.get(COMPLETE_VAR, "").partition("_")
    if operation != "complete" or shell not in SHELLS:
        return None
    request = _bash_request(environ) if shell == "bash" else _typer_request(environ)
    if request is None:
        return None
    items = completions(*request)
    if items is None:
        return None
    return _format(shell, items, environ)


def _split(line: str) -> list[str] | None:
    """Words as Click's split_arg_string (shlex, posix) reads them."""
    if not any(c in line for c in "'\"\\\t\r\n"):
        return [word for word in line.split(" ") if word]
    from shlex import shlex

    lex = shlex(line, posix=True)
    lex.whitespace_split = True
    lex.commenters = ""
    words: list[str] = []
    try:
        words.extend(lex)
    except ValueError:
        return None  # an unclosed quote: Typer's splitter keeps the partial word
    return words


def _bash_request(environ: Mapping[str, str]) -> tuple[list[str], str] | None:
    line, index = environ.get("COMP_WORDS"), environ.get("COMP_CWORD", "")
    if line is None or not (index.isascii() and index.isdigit()):
        return None
    words = _split(line)
    if words is None:
        return None
    cword = int(index)
    if cword == 0:
        return None
    return words[1:cword], words[cword] if cword < len(words) else ""


def _typer_request(environ: Mapping[str, str]) -> tuple[list[str], str] | None:
    line = environ.get("_TYPER_COMPLETE_ARGS", "")
    words = _split(line)
    if words is None:
        return None
    args = words[1:]
    if args and not line.endswith(" "):
        return args[:-1], args[-1]
    return args, ""


class _Parsed:
    """What the words before the cursor settle: the command, the options given."""

    __slots__ = ("arguments", "catalog", "command", "given", "lang")

    def __init__(self) -> None:
        self.command: Command | None = None
        self.given: set[int] = set()  # ids of the Params given
        self.arguments = 0  # how many positional values the command's arguments took
        self.catalog: str | None = None
        self.lang: str | None = None


def _read_options(
    words: Sequence[str], params: Sequence[Param], parsed: _Parsed, stop_at_word: bool
) -> tuple[int, list[str], bool] | None:
    """Read options as Click's parser does: (where it stopped, positionals, whether it
    failed on an option missing its value); None for what only Typer should judge."""
    by_name = {name: p for p in params for name in (*p.names, *p.secondary)}
    positionals: list[str] = []
    values: dict[int, str] = {}
    i = 0
    while i < len(words):
        word = words[i]
        if word == "--":
            if stop_at_word:
                return None
            positionals.extend(words[i + 1 :])
            return len(words), positionals, False
        if word[:1] != "-" or len(word) == 1:
            if stop_at_word:
                break
            positionals.append(word)
            i += 1
            continue
        name, equals, explicit = word.partition("=")
        param = by_name.get(name)
        if param is None or param is HELP_PARAM or (equals and len(name) == 2):
            return None  # unknown, a short cluster (-yk, -n3), or help
        if not param.takes_value:
            if equals:
                return None  # Click refuses a value for a flag
        elif equals:
            values[id(param)] = explicit
        elif i + 1 < len(words):
            i += 1
            values[id(param)] = words[i]
        else:
            return i, positionals, True  # Click stops here, arguments left unset
        parsed.given.add(id(param))
        i += 1
    if stop_at_word:
        catalog, lang = ROOT_PARAMS[0], ROOT_PARAMS[1]
        parsed.catalog = _catalog_value(values.get(id(catalog)))
        parsed.lang = values.get(id(lang))
    return i, positionals, False


def _catalog_value(value: str | None) -> str | None:
    # typer_app._catalog_name refuses a directory; Click then reads None.
    if value is None:
        return None
    from mlpath.catalog import BUNDLED_PATHS

    return value if value in BUNDLED_PATHS or not os.path.isdir(value) else None


def completions(args: list[str], incomplete: str) -> list[Item] | None:
    """Click's answer for the words `args` and the word being typed; None for Typer."""
    parsed = _Parsed()
    root = _read_options(args, ROOT_READ, parsed, stop_at_word=True)
    if root is None:
        return None
    end, _positionals, failed = root
    # A TAB press carries `--lang` only where it was typed: else MLPATH_LANG or the
    # locale, as typer_app's shell_complete reads it.
    activate(spoken_lang(parsed.lang))
    params: tuple[Param, ...] = ROOT_PARAMS
    if not failed and end < len(args):
        command = BY_NAME.get(args[end])
        if command is None:
            return None
        parsed.command = command
        params = (*[_param(o) for o in command.options], HELP_PARAM)
        read = _read_options(args[end + 1 :], params, parsed, stop_at_word=False)
        if read is None:
            return None
        _end, positionals, failed = read
        parsed.arguments = 0 if failed else len(positionals)
    if incomplete == "=":
        incomplete = ""
    elif "=" in incomplete and incomplete[:1] == "-":
        name, _equals, incomplete = incomplete.partition("=")
        args = [*args, name]
    if "--" not in args and incomplete[:1] == "-":
        return _names(parsed, params, incomplete)
    last = args[-1] if args else None
    for param in params:
        if param.takes_value and last in param.names:
            return _values(param.complete, param.words, incomplete, parsed)
    if parsed.command is not None:
        for index, argument in enumerate(parsed.command.arguments):
            if argument.many or index >= parsed.arguments:
                return _values(argument.complete, (), incomplete, parsed)
    return _names(parsed, params, incomplete)


def _names(parsed: _Parsed, params: Sequence[Param], incomplete: str) -> list[Item]:
    """Command names (at the root) and option names, as Click's shell_complete lists them."""
    items: list[Item] = []
    if parsed.command is None:
        items += [
            (c.name, short_help(_(c.help))) for c in COMMANDS if c.name.startswith(incomplete)
        ]
    if incomplete and not incomplete[0].isalnum():
        for param in params:
            if not param.many and id(param) in parsed.given:
                continue
            items += [
                (name, _(param.help))
                for name in (*param.names, *param.secondary)
                if name.startswith(incomplete)
            ]
    return items


def _values(
    complete: str | None, words: tuple[str, ...], incomplete: str, parsed: _Parsed
) -> list[Item]:
    if complete is not None:
        from mlpath.completion import candidates, described

        found = candidates(complete, incomplete, parsed.catalog, parsed.lang)
        # Typer keeps what starts with the word as typed (candidates ignores case).
        kept = [(value, text) for value, text in found if value.startswith(incomplete)]
        return list(described(complete, kept, parsed.lang))
    return [(word, None) for word in words if word.startswith(incomplete)]


def short_help(text: str, limit: int = SHORT_HELP_LIMIT) -> str:
    """A command's help shortened as Click's make_default_short_help does."""
    end = text.find("\n\n")
    words = (text if end == -1 else text[:end]).split()
    if not words:
        return ""
    if words[0] == "\b":
        words = words[1:]
    total = 0
    last = len(words) - 1
    for i, word in enumerate(words):
        total += len(word) + (i > 0)
        if total > limit:
            break
        if word[-1] == ".":
            return " ".join(words[: i + 1])
        if total == limit and i != last:
            break
    else:
        return " ".join(words)
    total += len("...")
    while i > 0:
        total -= len(words[i]) + (i > 0)
        if total <= limit:
            break
        i -= 1
    return " ".join(words[:i]) + "..."


def _format(shell: str, items: list[Item], environ: Mapping[str, str]) -> tuple[str, int] | None:
    if shell == "fish" and environ.get("_TYPER_COMPLETE_FISH_ACTION", "") == "is-args":
        return "", 0 if items else 1  # only the exit code: whether to offer files
    if shell == "bash":
        lines = [value for value, _ in items]
    else:
        entry = _zsh_entry if shell == "zsh" else _fish_line
        lines = []
        for value, text in items:
            line = entry(value, text, environ)
            if line is None:
                return None
            lines.append(line)
    if shell == "zsh":
        text = "_arguments '*: :((" + "\n".join(lines) + "))'" if lines else "_files"
    elif shell == "fish" and environ.get("_TYPER_COMPLETE_FISH_ACTION", "") != "get-args":
        text = ""
    else:
        text = "\n".join(lines)
    if "\x1b" in text:
        return None  # click.echo strips escape sequences from a pipe
    return text + "\n", 0


def _zsh_escape(text: str) -> str:
    return (
        text.replace('"', '""')
        .replace("'", "''")
        .replace("$", "\\$")
        .replace("`", "\\`")
        .replace(":", r"\\:")
    )


def _zsh_entry(value: str, text: str | None, environ: Mapping[str, str]) -> str | None:
    if not text:
        return f'"{_zsh_escape(value)}"'
    shown = _as_rich_renders(_zsh_escape(text), environ)
    if shown is None:
        return None
    return f'"{_zsh_escape(value)}":"{shown}"'


def _fish_line(value: str, text: str | None, environ: Mapping[str, str]) -> str | None:
    if not text:
        return value
    shown = _as_rich_renders(text, environ)
    if shown is None:
        return None
    return f"{value}\t{shown}"


def _as_rich_renders(text: str, environ: Mapping[str, str]) -> str | None:
    """A help text as Typer's pass through Rich gives it back (rich_utils.rich_render_text),
    or None where that takes Rich itself.

    Rich reads `[...]` as markup and `:name:` as an emoji, drops control characters,
    expands tabs, and wraps at the console's width. A text with none of those comes
    back as it went in if it fits; if it does not, it comes back wrapped, which is
    done here where every character's width is known (ASCII, Latin, Chinese and its
    punctuation: :func:`_known_cells`). (A fish help has its whitespace made spaces
    first: printable text has no other whitespace.)
    """
    if "[" in text or text.count(":") > 1 or not text.isprintable():
        return None
    width = _rich_width(environ)
    if width is None:
        return None
    if _most_cells(text) <= width:
        return text
    if text.isascii():
        return _wrapped(text, width, _one_cell)
    # A wide character cannot be folded onto a line of one cell.
    if width < 2 or not all(_known_cells(c) for c in text):
        return None
    return _wrapped(text, width, _known_cells)


def _one_cell(character: str) -> int:
    return 1


# Characters whose width in cells Rich and every terminal agree on (Rich's table in
# rich/_unicode_data, checked by tests/test_completion_quick.py): one cell for ASCII and
# Latin letters and the dashes, quotes and ellipsis Chinese text uses; two for CJK
# ideographs, CJK punctuation (、。《》「」【】) and full-width forms (，：；（）).
ONE_CELL_MARKS = frozenset("\u2013\u2014\u2018\u2019\u201c\u201d\u2026")
WIDE_RANGES = ((0x3001, 0x3029), (0x4E00, 0x9FFF), (0xFF01, 0xFF60), (0xFFE0, 0xFFE6))


def _known_cells(character: str) -> int:
    """Cells `character` takes in Rich, or 0 where this module does not know."""
    code = ord(character)
    if 0x20 <= code <= 0x7E or (0xA1 <= code <= 0x2FF and code != 0xAD):
        return 1
    if character in ONE_CELL_MARKS:
        return 1
    return 2 if any(low <= code <= high for low, high in WIDE_RANGES) else 0


def _wrapped(text: str, width: int, cells: Callable[[str], int]) -> str:
    """`text` wrapped as rich.text.Text.wrap does (rich._wrap.divide_line, fold long
    words, default justification): lines broken before the word that does not fit, a
    word wider than a line folded by cells, each line keeping its trailing spaces up to
    the width. `cells` gives each character's width (at most `width`)."""
    if not text.strip(" "):
        return _fitted(text, width, cells)  # no word to break before
    breaks: list[int] = []
    offset = 0  # cells used on the current line
    start = 0
    while start < len(text):
        end = start
        while end < len(text) and text[end] == " ":
            end += 1  # a word's leading spaces (only the first word has any)
        while end < len(text) and text[end] != " ":
            end += 1
        bare = end
        while end < len(text) and text[end] == " ":
            end += 1
        word_length = _length(text[start:bare], cells)
        if width - offset >= word_length:
            offset += _length(text[start:end], cells)
        elif word_length > width:
            # Folded (rich.cells.chop_cells): as many characters as fit on each line.
            if start:
                breaks.append(start)
            used = 0
            for index in range(start, end):
                size = cells(text[index])
                if used + size > width:
                    breaks.append(index)
                    used = 0
                used += size
            offset = used
        elif offset and start:
            breaks.append(start)
            offset = _length(text[start:end], cells)
        start = end
    lines = [text[a:b] for a, b in zip([0, *breaks], [*breaks, len(text)], strict=True)]
    return "\n".join(_fitted(line, width, cells) for line in lines)


def _length(text: str, cells: Callable[[str], int]) -> int:
    return len(text) if cells is _one_cell else sum(map(cells, text))


def _fitted(line: str, width: int, cells: Callable[[str], int]) -> str:
    """Text.rstrip_end (which counts characters), then Text.truncate (cells): a wide
    character cut in half becomes a space, as rich.cells.set_cell_size makes it."""
    if len(line) > width:
        spaces = len(line) - len(line.rstrip(" "))
        line = line[: len(line) - min(spaces, len(line) - width)]
    if _length(line, cells) <= width:
        return line
    used = 0
    for index, character in enumerate(line):
        if used + cells(character) > width:
            return line[:index] + " " * (width - used)
        used += cells(character)
    return line


def _most_cells(text: str) -> int:
    """At least as many terminal cells as Rich counts for `text` (none is wider than 2)."""
    if text.isascii():
        return len(text)
    # One cell each below U+1100, where the first wide characters are (Hangul), in
    # Rich's table and Python's alike; beyond it two, more than some take.
    return sum(1 if ord(c) < 0x1100 else 2 for c in text)


def _rich_width(environ: Mapping[str, str]) -> int | None:
    """The width of Typer's Rich console here (rich Console.__init__ and .size), or None
    where only Rich can say (a dumb terminal, Windows, a width Rich cannot read)."""
    if os.name == "nt" or environ.get("TERM", "").lower() in ("dumb", "unknown"):
        return None
    explicit = environ.get("TERMINAL_WIDTH")  # read by Typer: Console(width=...)
    columns = environ.get("COLUMNS")
    try:
        if explicit:
            width = int(explicit)
        elif columns is not None and columns.isdigit():
            width = int(columns)
        else:
            width = 0
            for descriptor in (0, 1, 2):
                try:
                    width = os.get_terminal_size(descriptor).columns
                except (OSError, ValueError):
                    continue
                break
            width = width or 80
    except ValueError:
        return None
    return width if width > 0 else None
