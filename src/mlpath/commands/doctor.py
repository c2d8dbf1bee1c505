"""`mlpath doctor`: check the store, the cache and the catalog; with --links, its links."""

from __future__ import annotations

from mlpath.errors import UsageError
from mlpath.i18n import _

TYPE_CHECKING = False
if TYPE_CHECKING:
    from mlpath.argv import Values
    from mlpath.context import Context
    from mlpath.doctor import Diagnosis


def run(ctx: Context, values: Values) -> Diagnosis:
    from mlpath.doctor import check_catalog_links, diagnose

    timeout = values.number("timeout")
    if timeout is not None and timeout != timeout:
        raise UsageError(_("--timeout takes a number of seconds, such as 10"))
    # Never ctx.workspace(): opening it may create, migrate or rebuild what is checked.
    diagnosis = diagnose(ctx.catalog_option)
    if values.flag("links"):
        from mlpath.output.doctor_text import link_progress

        with link_progress(ctx.env, values.flag("as_json")) as tick:
            check_catalog_links(diagnosis, timeout, fresh=values.flag("fresh"), on_checked=tick)
    return diagnosis
