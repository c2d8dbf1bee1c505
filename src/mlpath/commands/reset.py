"""`mlpath reset`: put resources back to todo (`--all` asks first)."""

from __future__ import annotations

from mlpath.errors import MlpathError, UsageError
from mlpath.i18n import _
from mlpath.marking import mark
from mlpath.results import NothingToReset, StatusChanges

TYPE_CHECKING = False
if TYPE_CHECKING:
    from mlpath.argv import Values
    from mlpath.context import Context


def run(ctx: Context, values: Values) -> StatusChanges | NothingToReset:
    ws = ctx.workspace()
    ids = values.texts("ids")
    if values.flag("all"):
        catalog_ids = set(ws.catalog_ids())
        chosen = [rid for rid, status in ws.statuses().items() if rid in catalog_ids]
        if not chosen:
            return NothingToReset()
        if not values.flag("yes"):
            confirm(
                ctx,
                _("Reset all {count} resources to todo?").format(count=len(chosen)),
                len(chosen),
            )
    elif ids:
        chosen = ids
    else:
        raise UsageError(_("name at least one ID, or use --all"))
    return mark(ws, chosen, "todo")


def confirm(ctx: Context, question: str, count: int) -> None:
    """Ask at a terminal; anywhere else the answer must be given with --yes."""
    env = ctx.env
    if not env.stdin_is_terminal or env.stdin is None:
        raise MlpathError(
            _(
                "reset --all would reset {count} resources; confirm with --yes (no "
                "terminal to ask)"
            ).format(count=count)
        )
    env.write(_("{question} [y/N]: ").format(question=question))
    env.flush()
    answer = env.stdin.readline().strip().lower()
    # y and yes whatever the language: what the prompt asks for.
    if answer not in ("y", "yes"):
        raise MlpathError(_("reset cancelled: nothing was changed"))
