"""What SQLite said went wrong, in the reader's language.

SQLite's messages are English ("database disk image is malformed", "file is not a
database"), so a message of mlpath's that embeds `str(exc)` is English in the middle of
Chinese. Each error carries SQLite's result code (`sqlite_errorcode`, Python 3.11): the
codes people meet are said in mlpath's own words instead. Where SQLite's own text is
the information (which rule a row breaks, which table is missing), it is kept, quoted
as SQLite's, inside a sentence of ours.

Imported where a database error is being reported, never on the way of a run that works.
"""

from __future__ import annotations

from mlpath.i18n import N_, _

READONLY = 8
CORRUPT = 11
CANTOPEN = 14
NOTADB = 26
# Primary result code -> what it means, marked for translation.
WORDS = {
    2: N_("SQLite failed inside itself"),
    3: N_("access to the file was denied"),
    4: N_("the operation was abandoned"),
    5: N_("another program is using the database and kept it busy"),
    6: N_("the database is locked"),
    7: N_("there was not enough memory"),
    READONLY: N_("the database cannot be written (it or its directory is read-only)"),
    9: N_("the operation was interrupted"),
    10: N_("reading or writing the disk failed"),
    CORRUPT: N_("the database file is damaged"),
    13: N_("the disk is full"),
    CANTOPEN: N_("the database file cannot be opened"),
    15: N_("the database's locks were in a state SQLite did not expect"),
    17: N_("the database's tables changed while it was read"),
    18: N_("a value is too large"),
    20: N_("a value is of the wrong type"),
    22: N_("the file is too large for this system"),
    23: N_("access was refused"),
    NOTADB: N_("the file is not a database"),
}
CONSTRAINT = 19  # SQLite's text names the rule broken: it is kept


def code_of(exc: BaseException) -> int | None:
    """SQLite's primary result code for `exc`, None when it carries none."""
    code = getattr(exc, "sqlite_errorcode", None)
    return code & 0xFF if isinstance(code, int) else None


def sqlite_reason(exc: BaseException) -> str:
    """What went wrong in `exc`, as a phrase to put in a message: mlpath's words for a
    common result code, else SQLite's own text, said to be SQLite's."""
    code = code_of(exc)
    words = WORDS.get(code) if code is not None else None
    if words is not None:
        return _(words)
    if code == CONSTRAINT:
        return _("a row breaks a rule of the database (SQLite: {text})").format(text=exc)
    return _("SQLite reported: {text}").format(text=exc)
