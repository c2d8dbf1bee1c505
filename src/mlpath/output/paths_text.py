"""`mlpath paths` for people: the bundled paths, the one in use marked."""

from __future__ import annotations

from mlpath.output.words import hours, plural

TYPE_CHECKING = False
if TYPE_CHECKING:
    from mlpath.results import PathChosen, PathsListing

IN_USE = "*"


def paths_lines(result: PathsListing, lang: str) -> list[str]:
    # Two lines a path, so it fits 80 columns whatever a path's title: the name and
    # figures, then the title under them.
    lines = []
    for p in result.paths:
        mark = IN_USE if p.name == result.in_use else " "
        lines.append(
            f"{mark}  {p.name}  {plural(p.resources, 'resource')} · {hours(p.minutes)} · "
            f"{p.done} done"
        )
        lines.append(f"{' ' * (len(p.name) + 5)}{p.title}")
    lines.append("")
    lines.append(in_use_line(result))
    lines.append(
        "Progress is kept by resource id, the same in every path: switching keeps what you "
        "have done. Switch with `mlpath paths use NAME`, or try one for a single command "
        "with --catalog NAME."
    )
    return lines


def in_use_line(result: PathsListing) -> str:
    if result.in_use is None:
        return f"{IN_USE} none: this command uses {result.catalog_file} ({result.chosen_by})."
    if result.chosen_by == "default":
        return f"{IN_USE} in use: {result.in_use}, your default."
    default = next((p.name for p in result.paths if p.default), None)
    return (
        f"{IN_USE} in use: {result.in_use}, chosen by {result.chosen_by}; "
        f"your default is {default}."
    )


def chosen_lines(result: PathChosen, lang: str) -> list[str]:
    p = result.path
    verb = "is now" if result.previous != p.name else "is still"
    lines = [
        f"Your default path {verb} {p.name} · {p.title}: "
        f"{plural(p.resources, 'resource')}, about {hours(p.minutes)}; "
        f"{p.done} of them done already."
    ]
    if result.overridden_by is not None:
        lines.append(
            f"This command used {result.overridden_by}, which still wins over your default "
            "whenever it is given."
        )
    return lines
