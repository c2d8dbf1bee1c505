"""`mlpath ui`: the whole path on one screen, ticked with a key."""

from __future__ import annotations

from mlpath.errors import MlpathError
from mlpath.i18n import _
from mlpath.ui.session import UiSession

TYPE_CHECKING = False
if TYPE_CHECKING:
    from mlpath.argv import Values
    from mlpath.context import Context


def run(ctx: Context, values: Values) -> UiSession:
    env = ctx.env
    if not (env.stdout_is_terminal and env.stdin_is_terminal):
        raise MlpathError(
            _(
                "mlpath ui needs a terminal to draw in; `mlpath list` and `mlpath next` work "
                "anywhere"
            )
        )
    # Any problem with the catalog or the store is one line here, before the screen.
    ctx.workspace().catalog()
    ctx.close()
    from mlpath.ui.app import run_app  # Textual: only this command imports it

    return UiSession(run_app(ctx.catalog_option, ctx.lang))
