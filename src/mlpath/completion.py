"""What shell completion offers: resource ids (with their titles), sections, kinds.

Ids are the path's as the commands see it: the catalog's and the learner's own
resources; after `RESOURCE/`, that resource's parts (`d2l/linear-regression`), the
catalog's and the learner's own. Both front ends call :func:`candidates`: the Typer app
through its completion callbacks, mlpath.completion_quick directly.
"""

from __future__ import annotations

from mlpath.catalog import KINDS, STATUSES
from mlpath.definition import IDS, SECTIONS
from mlpath.definition import KINDS as KIND_VALUES
from mlpath.definition import STATUSES as STATUS_VALUES


def candidates(
    what: str, incomplete: str, catalog: str | None, lang: str | None
) -> list[tuple[str, str]]:
    """(value, description) pairs starting with `incomplete`; never fails, offers less."""
    try:
        if what == KIND_VALUES:
            return [(k, "") for k in KINDS if k.startswith(incomplete)]
        if what == STATUS_VALUES:
            return [(s, "") for s in STATUSES if s.startswith(incomplete)]
        return _from_catalog(what, incomplete, catalog, lang)
    except Exception:
        return []


def _from_catalog(
    what: str, incomplete: str, catalog: str | None, lang: str | None
) -> list[tuple[str, str]]:
    from mlpath.catalog import catalog_path
    from mlpath.language import resolve_lang
    from mlpath.workspace import Workspace

    zh = resolve_lang(lang) == "zh"
    title = "coalesce(CASE WHEN ? THEN title_zh END, title)"
    # The workspace lays the learner's own resources and parts over the catalog cache.
    workspace = Workspace(catalog_path(catalog))
    try:
        db = workspace.db()
        if what == IDS and "/" in incomplete:
            resource, _, part = incomplete.partition("/")
            rows = db.execute(
                f"SELECT resource || '/' || id, {title} FROM parts "
                "WHERE resource = ? AND id LIKE ? ESCAPE '\\' ORDER BY position",
                (zh, resource, _like_prefix(part)),
            ).fetchall()
        else:
            table = {IDS: "resources", SECTIONS: "sections"}[what]
            rows = db.execute(
                f"SELECT id, {title} FROM {table} WHERE id LIKE ? ESCAPE '\\' ORDER BY position",
                (zh, _like_prefix(incomplete)),
            ).fetchall()
    finally:
        workspace.close()
    return [(row[0], row[1]) for row in rows]


def _like_prefix(text: str) -> str:
    escaped = text.lower().replace("\\", "\\\\").replace("_", "\\_").replace("%", "\\%")
    return escaped + "%"


def described(what: str, found: list[tuple[str, str]], lang: str | None) -> list[tuple[str, str]]:
    """Kinds and statuses are typed in English; beside each, what it is in the reader's
    language (nothing in English, where the value says it)."""
    from mlpath.definition import KINDS, STATUSES
    from mlpath.i18n import activate
    from mlpath.language import spoken_lang
    from mlpath.output.words import kind_label, status_word

    chosen = spoken_lang(lang)
    if chosen == "en" or what not in (KINDS, STATUSES):
        return found
    activate(chosen)
    word = kind_label if what == KINDS else status_word
    return [(value, about or word(value)) for value, about in found]
