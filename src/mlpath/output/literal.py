"""Outside text shown literally: the one filter every byte of output goes through.

Titles, notes, urls and import files come from other people. Whatever they contain, a
terminal must never receive it as an instruction: control characters (C0, DEL, C1, and
so every escape sequence), bidirectional overrides and isolates, line and paragraph
separators, and lone surrogates (undecodable bytes of a command line, or a broken
import) are written as visible escapes like ``\\x1b`` or ``\\u202e``. Printable text,
Chinese included, passes unchanged; the check costs one ``str.isprintable`` call.
"""

from __future__ import annotations

from mlpath.json_layout import indented, string_quoter

# Invisible format characters that join or shape what is printed; never instructions.
_HARMLESS = frozenset("\u200c\u200d\u00ad")


def visible(text: str) -> str:
    """`text` with every character a terminal could act on made visible (one line)."""
    if text.isprintable():
        return text
    return "".join(
        ch if ch.isprintable() or ch in _HARMLESS or _private(ch) else _escape(ch) for ch in text
    )


def _private(ch: str) -> bool:
    # Private-use characters (icon fonts) are printable for a terminal.
    point = ord(ch)
    return 0xE000 <= point <= 0xF8FF or point >= 0xF0000


def _escape(ch: str) -> str:
    point = ord(ch)
    if 0xDC80 <= point <= 0xDCFF:
        return f"\\x{point - 0xDC00:02x}"  # a byte the command line could not decode
    if point < 0x100:
        return f"\\x{point:02x}"
    return f"\\u{point:04x}" if point < 0x10000 else f"\\U{point:08x}"


class Bold(str):
    """A line of mlpath's own that a terminal shows in bold."""

    __slots__ = ()


def lines_out(lines: list[str], colour: bool = False) -> str:
    """Lines as one text to write: each made visible, so no line can hold another.

    The only escape codes ever written here are mlpath's own, for `Bold` lines.
    """
    return "".join(
        f"\x1b[1m{visible(line)}\x1b[0m\n"
        if colour and isinstance(line, Bold)
        else visible(line) + "\n"
        for line in lines
    )


def json_text(data: object) -> str:
    """JSON for scripts: real characters, stable keys; the invisible ones as escapes.

    What json.dumps(data, ensure_ascii=False, indent=2) writes, laid out here with
    json's own C string escaper (`indented`) where it can be: importing the json
    package loads its decoder, and with it `re`, which costs more than most commands.
    `json` escapes C0 itself; C1, DEL, bidirectional controls and lone surrogates it
    writes raw, so they are escaped here, which keeps the JSON equal in value.
    """
    quick = indented(data, "\n", string_quoter())
    if quick is not None and "".join(quick.split("\n")).isprintable():
        return quick
    import json

    text = json.dumps(data, ensure_ascii=False, indent=2)
    if "".join(text.split("\n")).isprintable():
        return text
    return "".join(
        ch if ch == "\n" or ch.isprintable() or ch in _HARMLESS else _json_escape(ch)
        for ch in text
    )


def _json_escape(ch: str) -> str:
    point = ord(ch)
    if point < 0x10000:
        return f"\\u{point:04x}"
    point -= 0x10000  # JSON spells characters beyond the BMP as UTF-16 pairs
    return f"\\u{0xD800 + (point >> 10):04x}\\u{0xDC00 + (point & 0x3FF):04x}"
