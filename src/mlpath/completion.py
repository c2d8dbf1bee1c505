"""What shell completion offers: resource ids (with their titles), sections, kinds."""

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
    from mlpath.catalog_cache import open_catalog_db
    from mlpath.language import resolve_lang

    zh = resolve_lang(lang) == "zh"
    table = {IDS: "resources", SECTIONS: "sections"}[what]
    pattern = incomplete.lower().replace("\\", "\\\\").replace("_", "\\_").replace("%", "\\%")
    db = open_catalog_db(catalog_path(catalog))
    try:
        rows = db.execute(
            f"SELECT id, coalesce(CASE WHEN ? THEN title_zh END, title) FROM {table} "
            "WHERE id LIKE ? ESCAPE '\\' ORDER BY position",
            (zh, pattern + "%"),
        ).fetchall()
    finally:
        db.close()
    return [(row[0], row[1]) for row in rows]
