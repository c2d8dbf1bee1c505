"""The one place a command's result is turned into output: JSON, plain text or Rich.

JSON has one envelope for every command, `{"command", "ok", "result"}` (or `"error"`),
pinned by tests/test_result_contract.py. Plain text goes to pipes and files; Rich to a
terminal, for the results that have a richer form. Renderers are found by the result's
class and imported only when used.
"""

from __future__ import annotations

from mlpath.output.literal import json_text, lines_out

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterable
    from typing import Any

    from mlpath.errors import MlpathError
    from mlpath.output.env import Environment

# Result class -> module of mlpath.output and function giving the plain lines.
PLAIN = {
    "NextResult": ("next_text", "next_lines"),
    "NextLine": ("next_text", "next_short_lines"),
    "StatusChanges": ("plain", "status_lines"),
    "NothingToReset": ("plain", "nothing_to_reset_lines"),
    "Undone": ("plain", "undone_lines"),
    "Noted": ("plain", "noted_lines"),
    "History": ("plain", "history_lines"),
    "Listing": ("plain", "listing_lines"),
    "Sections": ("plain", "sections_lines"),
    "ResourceDetails": ("plain", "details_lines"),
    "SearchResults": ("plain", "search_lines"),
    "Opened": ("plain", "opened_lines"),
    "Exported": ("plain", "exported_lines"),
    "Imported": ("plain", "import_lines"),
    "ProgressReport": ("progress_text", "progress_lines"),
    "Plan": ("plan_text", "plan_lines"),
    "Diagnosis": ("doctor_text", "diagnosis_lines"),
    "OwnAdded": ("own_text", "added_lines"),
    "OwnRemoved": ("own_text", "removed_lines"),
    "OwnParts": ("own_text", "parts_lines"),
    "GoalResult": ("goal_text", "goal_lines"),
    "UiSession": ("ui_text", "session_lines"),
    "PathsListing": ("paths_text", "paths_lines"),
    "PathChosen": ("paths_text", "chosen_lines"),
    "SyncReport": ("sync_text", "sync_lines"),
    "Shared": ("share_text", "shared_lines"),
    "BadgeResult": ("share_text", "badge_lines"),
}
# Results with a Rich form for a terminal: module of mlpath.output and function.
STYLED = {
    "Listing": ("styled", "listing"),
    "Sections": ("styled", "sections"),
    "SearchResults": ("styled", "search"),
    "ProgressReport": ("styled", "progress"),
    "Plan": ("styled", "plan"),
    "Diagnosis": ("doctor_text", "diagnosis"),
}


# Results written as they are read, into a pipe and with --json (they can be huge):
# module of mlpath.output, the plain text's chunks and the JSON envelope's.
STREAMED = {
    "Listing": ("listing_text", "listing_chunks", "listing_json_chunks"),
    # The plan's JSON is written whole, as any result's; its text in pieces.
    "Plan": ("plan_text", "plan_chunks", ""),
}

# Results of reading commands, which can be long: at a terminal, through a pager. A
# command that changes something reports in a line or two and is never paged (its
# change commits only once the report is out).
PAGED = frozenset(
    (
        "History",
        "Listing",
        "Sections",
        "ResourceDetails",
        "SearchResults",
        "ProgressReport",
        "Plan",
    )
)


def envelope(command: str, result: Any) -> dict[str, Any]:
    return {"command": command, "ok": True, "result": result.to_json()}


def render(command: str, result: Any, env: Environment, lang: str, as_json: bool) -> None:
    """Write `result` to the environment's stdout, and flush it."""
    name = type(result).__name__
    streamed = STREAMED.get(name)
    # Text streams in English: its column widths come from the cache's English words (in
    # another language the whole table is laid out, as at a terminal).
    if streamed and (
        (as_json and streamed[2])
        or (not as_json and lang == "en" and not _whole_text_needed(name, env))
    ):
        module = __import__(f"mlpath.output.{streamed[0]}", fromlist=streamed[1:])
        chunks = getattr(module, streamed[2])(command, result) if as_json else None
        for chunk in chunks or getattr(module, streamed[1])(result, lang):
            if isinstance(chunk, bytes):
                env.write_utf8(chunk)
            else:
                env.write(chunk)
    elif as_json:
        env.write(json_text(envelope(command, result)) + "\n")
    elif name == "Exported" and result.path is None:
        # The export itself, made literal by mlpath.output.exports.
        for chunk in result.chunks or (result.text,):
            env.write(chunk)
    elif name == "BadgeResult" and result.path is None:
        env.write(result.svg)  # the SVG itself: autoescaped, and never folded to a width
    else:
        text: Iterable[str]
        if env.styled and name in STYLED:
            from mlpath.output.styled import styled_chunks

            # Written (or paged) as it is laid out: a huge listing's first screen comes
            # before the rest is made.
            text = styled_chunks(_function(STYLED[name])(result, lang), env)
        else:
            lines = _function(PLAIN[name])(result, lang)
            if env.width is not None:
                from mlpath.output.words import wrapped

                lines = wrapped(lines, env.width)
            text = (lines_out(lines, env.colour),)
        if name in PAGED and env.paging:
            from mlpath.output.pager import write_paged

            write_paged(text, env)
        else:
            for piece in text:
                env.write(piece)
    env.flush()


def _whole_text_needed(name: str, env: Environment) -> bool:
    """Rich, folding to the terminal's width and the pager each take the whole text."""
    return (
        (env.styled and name in STYLED) or env.width is not None or (name in PAGED and env.paging)
    )


def render_error(command: str, exc: MlpathError, env: Environment) -> None:
    """With --json, scripts read the error from stdout too (the line on stderr stays)."""
    from mlpath.errors import OutputError

    document = {"command": command, "ok": False, "error": str(exc)}
    try:
        env.write(json_text(document) + "\n")
        env.flush()
    except OutputError:
        pass  # the error line on stderr still says what happened


def _function(where: tuple[str, str]) -> Any:
    module = __import__(f"mlpath.output.{where[0]}", fromlist=(where[1],))
    return getattr(module, where[1])
