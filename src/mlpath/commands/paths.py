"""`mlpath paths`: the bundled paths; `mlpath paths use NAME` makes one your default."""

from __future__ import annotations

import os

from mlpath import bundled_paths
from mlpath.catalog import catalog_path, chosen_path_name
from mlpath.errors import CatalogError, UsageError
from mlpath.i18n import _
from mlpath.results import PathChosen, PathsListing

TYPE_CHECKING = False
if TYPE_CHECKING:
    from mlpath.argv import Values
    from mlpath.context import Context


def run(ctx: Context, values: Values) -> PathsListing | PathChosen:
    action = values.text("action")
    name = values.text("name")
    if action is None:
        return listing(ctx)
    if action != "use":
        raise UsageError(
            _(
                "unknown action '{action}' — `mlpath paths` lists the paths, "
                "`mlpath paths use NAME` makes one your default"
            ).format(action=action)
        )
    if name is None:
        names = _(" or ").join(bundled_paths.names())
        raise UsageError(
            _("name the path to follow ({names}), as in `mlpath paths use 2025`").format(
                names=names
            )
        )
    return choose(ctx, name)


def chosen_by(ctx: Context) -> str:
    if ctx.catalog_option:
        return "--catalog"
    if os.environ.get("MLPATH_CATALOG"):
        return "MLPATH_CATALOG"
    return "default"


def listing(ctx: Context) -> PathsListing:
    statuses = ctx.workspace().statuses()
    file = catalog_path(ctx.catalog_option)
    return PathsListing(
        bundled_paths.summaries(statuses), bundled_paths.name_of(file), file, chosen_by(ctx)
    )


def choose(ctx: Context, name: str) -> PathChosen:
    bundled_paths.check_name(name)
    try:
        previous: str | None = chosen_path_name()
    except CatalogError:
        previous = None  # an unreadable choice is what this command is there to fix
    bundled_paths.use(name)
    summary = bundled_paths.summary(name, ctx.workspace().statuses(), name)
    by = chosen_by(ctx)
    return PathChosen(summary, previous, None if by == "default" else by)
