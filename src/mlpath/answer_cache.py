"""`mlpath next`'s answer, kept until something it was made from changes.

Shell prompts and status bars run `mlpath next --short` after every command, and the
answer changes only when the learner's progress, the catalog, mlpath itself, the
language or the day does. So a run whose output goes to a pipe or a file keeps what it
printed, with the identity (inode, size, times, owner and mode) of every file the
answer came from, each taken before it was read: the progress store and its write-ahead
log, the store's directory, the catalog file, the file naming the default path, the
system's time zone; and, as the run left them, the catalog's validated copy and
mlpath's own modules and translations. A later run
with the same command line, in the same directory, with the same environment, on the
same day, prints the kept answer when every one of those files is as it was: a few
`stat` calls instead of opening the catalog and the store.

Only a successful answer with nothing said on stderr is kept, only in a file of ours
that nobody else can write, and never at a terminal: there the answer depends on the
terminal's width and colours, and an interactive run does not notice the difference.
"""

from __future__ import annotations

import os
import sys
import time

from mlpath import __version__
from mlpath.kept_file import ZONE_FILE, identity

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence

    from mlpath.argv import Invocation
    from mlpath.output.env import Environment

FORMAT = b"mlpath-answer 1\n"
# Set by the shell on every prompt or `cd`; none of them changes an answer.
VOLATILE = frozenset(("_", "PWD", "OLDPWD", "SHLVL"))
WAL_SUFFIX = "-wal"
# Far more than any answer with its inputs; a larger file is not one mlpath wrote.
MAX_RECORD_BYTES = 16 * 1024 * 1024


def kept_answer(argv: Sequence[str]) -> str | None:
    """The answer kept for this command line, if everything it came from is unchanged."""
    try:
        record = _read_record(_record_file(argv))
    except (OSError, ValueError):
        return None
    if record is None:
        return None
    key, inputs, answer = record
    if key != _key(argv) or any(_identity_of(path) != known for path, known in inputs):
        return None
    return answer


def print_kept_answer(argv: Sequence[str], env: Environment) -> int | None:
    """Print the kept answer and return the exit code; None when there is none to print."""
    from mlpath.errors import MlpathError

    answer = kept_answer(argv)
    if answer is None:
        return None
    try:
        env.write(answer)
        env.flush()
    except MlpathError as exc:  # output that cannot be written, as for a fresh answer
        from mlpath.execute import report_error

        report_error(exc, env)
        return 1
    return 0


def answer_and_keep(argv: Sequence[str], invocation: Invocation, env: Environment) -> int:
    """Run the command, and keep its answer when it succeeded and said nothing on stderr."""
    from mlpath.errors import MlpathError
    from mlpath.execute import execute

    try:
        before = [(path, _identity_of(path)) for path in _data_inputs(invocation)]
    except (MlpathError, OSError):  # the command itself says what is wrong with them
        before = None
    out = _Recorder(env.stdout)
    err = _Recorder(env.stderr) if env.stderr is not None else None
    recording = env.with_streams(out, err)  # type: ignore[arg-type]
    code = execute(invocation.command, invocation.global_values, invocation.values, recording)
    said_nothing_else = err is None or not err.text
    if code == 0 and before is not None and said_nothing_else and out.text:
        after = [*_derived_inputs(invocation), *_code_inputs()]
        made_from = [*before, *((path, _identity_of(path)) for path in after)]
        _write_record(_record_file(argv), _key(argv), made_from, "".join(out.text))
    return code


def _identity_of(path: str) -> str:
    if not path.endswith(WAL_SUFFIX):
        return identity(path)
    # A log that is empty or not there holds nothing: reading the store may create it.
    log = identity(path, changed=False)
    return "-" if log == "-" or log.split(":")[2] == "0" else log


class _Recorder:
    """A stream that writes through and remembers what went through it."""

    def __init__(self, stream: object) -> None:
        self.stream = stream
        self.text: list[str] = []

    def write(self, text: str) -> int:
        self.text.append(text)
        return self.stream.write(text)  # type: ignore[attr-defined, no-any-return]

    def flush(self) -> None:
        self.stream.flush()  # type: ignore[attr-defined]

    def __getattr__(self, name: str) -> object:
        return getattr(self.stream, name)  # encoding, isatty, fileno: the stream's own


def _key(argv: Sequence[str]) -> str:
    """Everything besides files an answer depends on, as one text."""
    environment = sorted(f"{k}={v}" for k, v in os.environ.items() if k not in VOLATILE)
    return "\0".join(
        (
            __version__,
            sys.version,
            sys.executable,
            os.getcwd(),
            time.strftime("%Y-%m-%d"),
            str(len(argv)),
            *argv,
            *environment,
        )
    )


def _data_inputs(invocation: Invocation) -> list[str]:
    from mlpath.paths import default_path_file, progress_db

    store = progress_db()
    return [
        store,
        store + WAL_SUFFIX,
        os.path.dirname(store),
        default_path_file(),
        _catalog_file(invocation),
        ZONE_FILE,
    ]


def _catalog_file(invocation: Invocation) -> str:
    from mlpath.catalog import catalog_path

    return os.path.abspath(catalog_path(invocation.global_values.text("catalog")))


def _derived_inputs(invocation: Invocation) -> list[str]:
    """The catalog's validated copy, as the run left it (built by it, perhaps): a kept
    answer never outlives the copy it was read from, so a damaged or forged copy is
    found, and rebuilt, as it would be without one."""
    from mlpath.catalog_cache import cache_file_for

    cache = cache_file_for(_catalog_file(invocation))
    return [cache, cache + "-seal"]


def _code_inputs() -> Iterable[str]:
    """mlpath's modules this run loaded and its translations: a changed install or an
    edited checkout gives another answer."""
    for name, module in list(sys.modules.items()):
        if name == "mlpath" or name.startswith("mlpath."):
            source = getattr(module, "__file__", None)
            if source:
                yield source
    locale = os.path.join(os.path.dirname(os.path.abspath(__file__)), "locale")
    try:
        langs = sorted(os.listdir(locale))
    except OSError:
        return
    for lang in langs:
        yield os.path.join(locale, lang, "LC_MESSAGES", "mlpath.mo")


def _record_file(argv: Sequence[str]) -> str:
    from mlpath.paths import cache_dir, name_hash

    # One file per command line, whatever else differs (the full key inside decides
    # whether it still answers).
    return os.path.join(cache_dir(), "answers", f"{name_hash(chr(0).join(argv)):08x}")


def _read_record(path: str) -> tuple[str, list[tuple[str, str]], str] | None:
    from mlpath.kept_file import read_kept

    # Printed as it is: only from a file of ours, in a directory of ours, that nobody
    # else can write.
    data = read_kept(path, MAX_RECORD_BYTES)
    if data is None or not data.startswith(FORMAT):
        return None
    text = data[len(FORMAT) :].decode("utf-8", "surrogateescape")
    key_length, _, rest = text.partition("\n")
    key, rest = rest[: int(key_length)], rest[int(key_length) :]
    inputs_length, _, rest = rest.partition("\n")
    fields = rest[: int(inputs_length)].split("\0")
    answer = rest[int(inputs_length) :]
    if len(fields) % 2:
        return None
    return key, list(zip(fields[::2], fields[1::2], strict=True)), answer


def _write_record(path: str, key: str, inputs: list[tuple[str, str]], answer: str) -> None:
    from mlpath.kept_file import keep

    listed = "\0".join(field for pair in inputs for field in pair)
    text = f"{len(key)}\n{key}{len(listed)}\n{listed}{answer}"
    keep(path, FORMAT + text.encode("utf-8", "surrogateescape"))
