"""`mlpath paths` for people: the bundled paths, the one in use marked."""

from __future__ import annotations

from mlpath.i18n import _, ngettext
from mlpath.output.words import hours

TYPE_CHECKING = False
if TYPE_CHECKING:
    from mlpath.bundled_paths import PathSummary
    from mlpath.results import PathChosen, PathsListing

IN_USE = "*"


def paths_lines(result: PathsListing, lang: str) -> list[str]:
    # Two lines a path, so it fits 80 columns whatever a path's title: the name and
    # figures, then the title under them.
    lines = []
    for p in result.paths:
        mark = IN_USE if p.name == result.in_use else " "
        lines.append(
            f"{mark}  {p.name}  "
            + ngettext(
                "{count} resource · {hours} · {done} done",
                "{count} resources · {hours} · {done} done",
                p.resources,
            ).format(count=p.resources, hours=hours(p.minutes), done=p.done)
        )
        lines.append(f"{' ' * (len(p.name) + 5)}{path_title(p, lang)}")
    lines.append("")
    lines.append(in_use_line(result))
    lines.append(
        _(
            "Progress is kept by resource id, the same in every path: switching keeps what you "
            "have done. Switch with `mlpath paths use NAME`, or try one for a single command "
            "with --catalog NAME."
        )
    )
    return lines


def path_title(p: PathSummary, lang: str) -> str:
    """The path's title; its Chinese one where the path has one and the reader reads it."""
    chinese = p.source.get("title_zh") if lang == "zh" else None
    return str(chinese) if chinese else p.title


def in_use_line(result: PathsListing) -> str:
    if result.in_use is None:
        return f"{IN_USE} " + _("none: this command uses {file} ({chosen_by}).").format(
            file=result.catalog_file, chosen_by=result.chosen_by
        )
    if result.chosen_by == "default":
        return f"{IN_USE} " + _("in use: {name}, your default.").format(name=result.in_use)
    default = next((p.name for p in result.paths if p.default), None)
    return f"{IN_USE} " + _(
        "in use: {name}, chosen by {chosen_by}; your default is {default}."
    ).format(name=result.in_use, chosen_by=result.chosen_by, default=default)


def chosen_lines(result: PathChosen, lang: str) -> list[str]:
    p = result.path
    if result.previous != p.name:
        chosen = ngettext(
            "Your default path is now {name} · {title}: {count} resource, about {hours}; "
            "{done} of them done already.",
            "Your default path is now {name} · {title}: {count} resources, about {hours}; "
            "{done} of them done already.",
            p.resources,
        )
    else:
        chosen = ngettext(
            "Your default path is still {name} · {title}: {count} resource, about {hours}; "
            "{done} of them done already.",
            "Your default path is still {name} · {title}: {count} resources, about {hours}; "
            "{done} of them done already.",
            p.resources,
        )
    lines = [
        chosen.format(
            name=p.name,
            title=path_title(p, lang),
            count=p.resources,
            hours=hours(p.minutes),
            done=p.done,
        )
    ]
    if result.overridden_by is not None:
        lines.append(
            _(
                "This command used {given}, which still wins over your default "
                "whenever it is given."
            ).format(given=result.overridden_by)
        )
    return lines
