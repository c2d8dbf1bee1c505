"""`mlpath share`: a static page of the learner's journey, one self-contained index.html."""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from mlpath.argv import Values
    from mlpath.context import Context
    from mlpath.share.page import Shared

DEFAULT_DIRECTORY = "mlpath-page"
PAGE_FILE = "index.html"
# What a page mlpath wrote says about itself: such a file is replaced without --force.
GENERATOR_MARK = '<meta name="generator" content="mlpath '


def run(ctx: Context, values: Values) -> Shared:
    import os

    from mlpath import __version__
    from mlpath.exporting import write_file
    from mlpath.goal import read_goal
    from mlpath.share.html import render_page
    from mlpath.share.page import Shared, build_page
    from mlpath.timefmt import today

    directory = values.text("output") or DEFAULT_DIRECTORY
    db = ctx.workspace().db()
    page = build_page(
        db, today(), __version__, goal=read_goal(db), with_notes=values.flag("with_notes")
    )
    text = render_page(page, ctx.lang)
    target = os.path.join(directory, PAGE_FILE)
    make_directory(directory)
    write_file(target, text, force=values.flag("force") or made_by_mlpath(target))
    readable(target)
    return Shared(page, target)


def readable(path: str) -> None:
    """As a new file of the user's would be (umask applied): a page is for publishing,
    unlike an export, which is written for its owner only."""
    import os

    mask = os.umask(0o022)
    os.umask(mask)
    try:
        os.chmod(path, 0o666 & ~mask)
    except OSError:
        pass  # written all the same; a file system without modes keeps its own


def make_directory(directory: str) -> None:
    import os

    from mlpath.errors import ExportError
    from mlpath.i18n import _

    if os.path.exists(directory) and not os.path.isdir(directory):
        raise ExportError(
            _("{directory} is a file — name a directory for the page").format(directory=directory)
        )
    try:
        os.makedirs(directory, exist_ok=True)
    except OSError as exc:
        from mlpath.os_errors import os_reason

        raise ExportError(
            _("cannot create {directory}: {why}").format(directory=directory, why=os_reason(exc))
        ) from None


def made_by_mlpath(path: str) -> bool:
    """Whether `path` is a page an earlier `mlpath share` wrote (so it may be replaced)."""
    try:
        with open(path, encoding="utf-8", errors="replace") as handle:
            head = handle.read(2048)
    except OSError:
        return False
    return GENERATOR_MARK in head
