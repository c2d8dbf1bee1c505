"""Every command's arguments and options, declared once.

Both front ends read this table: the quick parser (:mod:`mlpath.argv`), which answers
normal runs without importing Typer, and the Typer app (:mod:`mlpath.typer_app`), which
gives help, completion and usage errors. tests/test_definition.py holds the two to the
same semantics (names, destination, type, flag value, multiplicity, bounds).

Plain slotted classes and tuples: this module is imported on every start-up.
"""

from __future__ import annotations

from mlpath.i18n import N_

# Value kinds an option or argument takes.
FLAG = "flag"  # no value; True when given (or False for its `off` names)
INT = "int"
FLOAT = "float"
TEXT = "text"
CHOICE = "choice"
DATE = "date"  # YYYY-MM-DD
PATH = "path"  # a file name; a directory is refused

# What shell completion offers for a value.
IDS = "ids"
SECTIONS = "sections"
KINDS = "kinds"
STATUSES = "statuses"

# Upper bounds on counts: a larger number is a typo, and SQLite integers stop at 2**63.
MAX_COUNT = 1_000_000


class Option:
    """A named option: `--free`, `-n 3`, `--section books` (repeatable with `many`)."""

    __slots__ = (
        "choices",
        "complete",
        "default",
        "dest",
        "help",
        "kind",
        "many",
        "maximum",
        "metavar",
        "minimum",
        "names",
        "off",
    )

    def __init__(
        self,
        names: tuple[str, ...],
        dest: str,
        kind: str = FLAG,
        help: str = "",
        *,
        many: bool = False,
        default: object = None,
        off: tuple[str, ...] = (),
        metavar: str | None = None,
        minimum: float | None = None,
        maximum: float | None = None,
        choices: tuple[str, ...] = (),
        complete: str | None = None,
    ) -> None:
        self.names = names
        self.dest = dest
        self.kind = kind
        self.help = help
        self.many = many
        # A flag with `off` names is three-way: True, False, or None when neither is given.
        self.default = default if default is not None or off or kind != FLAG else False
        self.off = off
        self.metavar = metavar
        self.minimum = minimum
        self.maximum = maximum
        self.choices = choices
        self.complete = complete


class Argument:
    """A positional argument; `many` takes every remaining value."""

    __slots__ = (
        "complete",
        "default",
        "dest",
        "help",
        "kind",
        "many",
        "maximum",
        "metavar",
        "minimum",
        "required",
    )

    def __init__(
        self,
        dest: str,
        metavar: str,
        help: str = "",
        *,
        kind: str = TEXT,
        many: bool = False,
        required: bool = True,
        default: object = None,
        minimum: float | None = None,
        maximum: float | None = None,
        complete: str | None = None,
    ) -> None:
        self.dest = dest
        self.metavar = metavar
        self.help = help
        self.kind = kind
        self.many = many
        self.required = required
        self.default = default
        self.minimum = minimum
        self.maximum = maximum
        self.complete = complete


class Command:
    """One `mlpath` command: what it takes, its help, and the module that runs it."""

    __slots__ = ("arguments", "help", "module", "name", "options")

    def __init__(
        self,
        name: str,
        help: str,
        options: tuple[Option, ...] = (),
        arguments: tuple[Argument, ...] = (),
        module: str | None = None,
    ) -> None:
        self.name = name
        self.help = help
        self.options = options
        self.arguments = arguments
        # mlpath.commands.<module> holds its `run`; imported only when the command runs.
        self.module = module or name


JSON = Option(("--json",), "as_json", help=N_("Print JSON for scripts."))
# Where `export` and `badge` write instead of stdout, and leave to overwrite it.
OUTPUT_FILE = Option(
    ("--output", "-o"),
    "output",
    PATH,
    N_("Write to this file instead of stdout."),
    metavar="FILE",
)
FORCE_OUTPUT = Option(("--force",), "force", help=N_("Replace the -o file if it already exists."))
SECTION_FILTER = Option(
    ("--section", "-s"),
    "section",
    TEXT,
    N_("Only this section (repeatable)."),
    many=True,
    metavar="SECTION",
    complete=SECTIONS,
)
IDS_ARGUMENT = Argument(
    "ids", "ID...", N_("Resource ids or unique prefixes."), many=True, complete=IDS
)
OPTIONAL_IDS = Argument(
    "ids",
    "[ID...]",
    N_("Resource ids or unique prefixes."),
    many=True,
    required=False,
    complete=IDS,
)
ONE_ID = Argument("resource_id", "ID", N_("Resource id or unique prefix."), complete=IDS)

GLOBAL_OPTIONS = (
    Option(
        ("--catalog",),
        "catalog",
        PATH,
        N_(
            "Use this bundled path (2022, 2025) or catalog file for this "
            "command, instead of your default path (also MLPATH_CATALOG). A "
            "bare name of a bundled path means that path; write ./2025 for a "
            "file of that name."
        ),
        metavar="NAME|FILE",
    ),
    Option(
        ("--lang",),
        "lang",
        TEXT,
        N_("The language of mlpath's words and titles (default: MLPATH_LANG, then the locale)."),
        metavar="en|zh",
    ),
    Option(
        ("--no-pager",),
        "no_pager",
        help=N_(
            "Print long output straight to the terminal, not through a pager "
            "(MLPATH_PAGER or PAGER, else less)."
        ),
    ),
)

COMMANDS: tuple[Command, ...] = (
    Command(
        "next",
        N_("Show what to do next on the path.\n\nExample: mlpath next -n 3 --free"),
        (
            Option(
                ("-n", "--count"),
                "count",
                INT,
                N_("How many steps to show."),
                default=1,
                minimum=1,
                maximum=MAX_COUNT,
            ),
            Option(("--free",), "free", help=N_("Pass over paid resources.")),
            SECTION_FILTER,
            Option(
                ("--short",), "short", help=N_("One plain line, for a shell prompt or status bar.")
            ),
            JSON,
        ),
    ),
    Command(
        "done",
        N_("Mark resources as done.\n\nExample: mlpath done 3b1b"),
        (JSON,),
        (IDS_ARGUMENT,),
    ),
    Command(
        "start",
        N_(
            "Mark a resource as in progress; `mlpath next` shows it "
            "first.\n\nExample: mlpath start d2l"
        ),
        (JSON,),
        (ONE_ID,),
    ),
    Command(
        "skip",
        N_(
            "Skip resources you will not do (or already know).\n\nExample: "
            "mlpath skip --section books"
        ),
        (
            Option(
                ("--section", "-s"),
                "section",
                TEXT,
                N_("Skip every resource of a section."),
                many=True,
                metavar="SECTION",
                complete=SECTIONS,
            ),
            JSON,
        ),
        (OPTIONAL_IDS,),
    ),
    Command(
        "reset",
        N_(
            "Put resources back to todo.\n\nThe history is kept, and `mlpath "
            "undo` takes this back too.\n\nExample: mlpath reset d2l"
        ),
        (
            Option(("--all",), "all", help=N_("Reset every resource.")),
            Option(("--yes", "-y"), "yes", help=N_("Do not ask for confirmation.")),
            JSON,
        ),
        (OPTIONAL_IDS,),
    ),
    Command(
        "undo",
        N_(
            "Take back what the last command changed.\n\nWith N, the last N "
            "commands.\n\nExample: mlpath undo 2"
        ),
        (JSON,),
        (
            Argument(
                "count",
                "[N]",
                N_("How many commands to take back."),
                kind=INT,
                required=False,
                default=1,
                minimum=1,
                maximum=MAX_COUNT,
            ),
        ),
    ),
    Command(
        "note",
        N_(
            "Add a note to a resource (shown by `mlpath show`).\n\nExample: "
            'mlpath note d2l "chapter 3 was hard; redo the exercises"'
        ),
        (JSON,),
        (ONE_ID, Argument("text", "TEXT...", N_("The note (the rest of the line)."), many=True)),
    ),
    Command(
        "history",
        N_("Show the log of changes, newest first.\n\nExample: mlpath history --limit 50"),
        (
            Option(
                ("--limit",),
                "limit",
                INT,
                N_("How many changes."),
                default=20,
                minimum=1,
                maximum=MAX_COUNT,
            ),
            JSON,
        ),
    ),
    Command(
        "list",
        N_("List the path in order, with filters.\n\nExample: mlpath list --free --section books"),
        (
            SECTION_FILTER,
            Option(
                ("--free",),
                "free",
                help=N_("Only free, or only paid, resources."),
                off=("--paid",),
            ),
            Option(
                ("--kind", "-k"),
                "kind",
                TEXT,
                N_("Only this kind (repeatable)."),
                many=True,
                metavar="KIND",
                complete=KINDS,
            ),
            Option(
                ("--optional",),
                "optional",
                help=N_("Only optional, or only required, steps."),
                off=("--required",),
            ),
            Option(
                ("--status",),
                "status",
                TEXT,
                N_("Only todo, doing, done or skipped (repeatable)."),
                many=True,
                metavar="STATUS",
                complete=STATUSES,
            ),
            JSON,
        ),
        module="list_",
    ),
    Command(
        "sections",
        N_("List the sections, with their size and estimated time.\n\nExample: mlpath sections"),
        (JSON,),
    ),
    Command(
        "show",
        N_(
            "Show everything about one resource.\n\nDetails, status, dates, "
            "notes, what it needs and what it unlocks.\n\nExample: mlpath show "
            "d2l"
        ),
        (JSON,),
        (ONE_ID,),
    ),
    Command(
        "progress",
        N_(
            "Show how far along the path you are.\n\nPer section, your streak, "
            "recent activity and an activity calendar.\n\nExample: mlpath "
            "progress"
        ),
        (JSON,),
    ),
    Command(
        "plan",
        N_(
            "Lay the rest of the path onto weeks.\n\nWhen each resource should "
            "start and end, and each section and the path finish.\n\nExample: "
            "mlpath plan --hours-per-week 5 --free"
        ),
        (
            Option(
                ("--hours-per-week", "-w"),
                "hours_per_week",
                FLOAT,
                N_(
                    "Hours a week you will spend (more than 0, at most 168; default: "
                    "the pace of your goal, see `mlpath goal`)."
                ),
                metavar="HOURS",
                maximum=168,
            ),
            Option(
                ("--start",),
                "start",
                DATE,
                N_("First day of week 1, YYYY-MM-DD (default: today)."),
                metavar="DATE",
            ),
            Option(("--free",), "free", help=N_("Leave paid resources out.")),
            Option(
                ("--pace",),
                "pace",
                CHOICE,
                N_(
                    "hours: use --hours-per-week; actual: the effort you finished in "
                    "the 4 weeks before --start."
                ),
                choices=("hours", "actual"),
                default="hours",
            ),
            JSON,
        ),
    ),
    Command(
        "search",
        N_(
            "Search titles, authors, descriptions and tags.\n\nBest matches "
            "first; small typos are forgiven.\n\nExample: mlpath search neural "
            "networks"
        ),
        (
            Option(
                ("-n", "--limit"),
                "limit",
                INT,
                N_("Show at most this many hits."),
                default=10,
                minimum=1,
                maximum=MAX_COUNT,
            ),
            JSON,
        ),
        (
            Argument(
                "query", "QUERY...", N_("Words to look for; small typos are forgiven."), many=True
            ),
        ),
    ),
    Command(
        "open",
        N_(
            "Open a resource's link in your browser.\n\nWhere no browser can "
            "open (over SSH, in CI), the link is printed instead.\n\nExample: "
            "mlpath open d2l --start"
        ),
        (Option(("--start",), "start", help=N_("Also mark the resource as started.")), JSON),
        (ONE_ID,),
        module="open_",
    ),
    Command(
        "export",
        N_(
            "Export your progress as JSON, a Markdown checklist or "
            "CSV.\n\nExample: mlpath export -o progress.json"
        ),
        (
            Option(
                ("--format", "-f"),
                "format",
                CHOICE,
                N_(
                    "json (the full history, for `mlpath import`), markdown (a "
                    "checklist) or csv (a spreadsheet). Default: from the -o file's "
                    "suffix, else json."
                ),
                choices=("json", "markdown", "csv"),
            ),
            OUTPUT_FILE,
            FORCE_OUTPUT,
        ),
        module="export",
    ),
    Command(
        "import",
        N_(
            "Merge a JSON export from another machine.\n\nThe union of both "
            "histories: importing the same file twice changes "
            "nothing.\n\nExample: mlpath import progress.json --dry-run"
        ),
        (
            Option(("--dry-run",), "dry_run", help=N_("Show what would change; write nothing.")),
            JSON,
        ),
        (Argument("file", "FILE", N_("A JSON export, or - for standard input.")),),
        module="import_",
    ),
    Command(
        "doctor",
        N_(
            "Check that the progress store, the catalog cache and the catalog "
            "are sound.\n\nSays what is wrong and what to do, and exits 1 when "
            "something is; it changes nothing. With --links it also checks "
            "every link of the catalog, keeps the results for a day, and exits "
            "1 for a dead link.\n\nExample: mlpath doctor --links"
        ),
        (
            Option(("--links",), "links", help=N_("Also check every link of the catalog.")),
            Option(
                ("--timeout",),
                "timeout",
                FLOAT,
                N_("Seconds to wait for each link."),
                metavar="SECONDS",
                default=10.0,
                minimum=0.1,
                maximum=300,
            ),
            Option(
                ("--fresh",), "fresh", help=N_("Check every link again, ignoring the last day's.")
            ),
            JSON,
        ),
    ),
    # The learner's own resources and parts (issue #13), kept with their progress; at
    # most as many parts as the catalog allows a resource (mlpath.models.MAX_PARTS).
    Command(
        "add",
        N_(
            "Add a resource of your own to the path: a book you own, a course "
            "you found.\n\nIts id is my- and its title; it shows everywhere the "
            "catalog's resources do, marked as yours, and `mlpath remove` "
            'takes it away.\n\nExample: mlpath add "Deep Learning" --section '
            "books --parts 14"
        ),
        (
            Option(
                ("--section", "-s"),
                "section",
                TEXT,
                N_("The section it goes in (default: the section of --after)."),
                metavar="SECTION",
                complete=SECTIONS,
            ),
            Option(
                ("--after",),
                "after",
                TEXT,
                N_("Put it right after this resource (default: at the end of its section)."),
                metavar="ID",
                complete=IDS,
            ),
            Option(("--url",), "url", TEXT, N_("Its link (http or https)."), metavar="URL"),
            Option(
                ("--minutes",),
                "minutes",
                INT,
                N_("Your estimate of the time it takes, in minutes."),
                metavar="MINUTES",
                minimum=1,
                maximum=MAX_COUNT,
            ),
            Option(
                ("--parts",),
                "parts",
                INT,
                N_("Split it into N numbered parts (ID/1 to ID/N) sharing the estimate."),
                metavar="N",
                minimum=1,
                maximum=500,
            ),
            Option(
                ("--paid",),
                "paid",
                help=N_("It costs money: `next --free` and `plan --free` pass it."),
            ),
            JSON,
        ),
        (Argument("title", "TITLE...", N_("Its title (the rest of the line)."), many=True),),
    ),
    Command(
        "remove",
        N_(
            "Take a resource of your own off the path.\n\nIts progress stays in "
            "the history, and `mlpath undo` puts it back.\n\nExample: mlpath "
            "remove my-deep-learning-with-python"
        ),
        (JSON,),
        (ONE_ID,),
    ),
    Command(
        "parts",
        N_(
            "Give a resource parts of your own: split it in N, or type in its "
            "chapters.\n\nProgress on a part is kept like on the catalog's: "
            "`mlpath done ID/3`, ranges `ID/1-4`, and the resource is done "
            "when its parts are. A resource with parts from the catalog keeps "
            "them; parts you add come after them.\n\nExample: mlpath parts "
            'my-book --add "Chapter 1" --minutes 90'
        ),
        (
            Option(
                ("--split",),
                "split",
                INT,
                N_("Split it into N numbered parts sharing its estimate."),
                metavar="N",
                minimum=1,
                maximum=500,
            ),
            Option(
                ("--add",),
                "add",
                TEXT,
                N_("Add a part with this title, after the others."),
                metavar="TITLE",
            ),
            Option(
                ("--minutes",),
                "minutes",
                INT,
                N_(
                    "With --add: the part's estimate (default: a share of what the "
                    "resource's estimate leaves)."
                ),
                metavar="MINUTES",
                minimum=1,
                maximum=MAX_COUNT,
            ),
            Option(("--url",), "url", TEXT, N_("With --add: the part's own link."), metavar="URL"),
            Option(
                ("--remove",),
                "remove",
                TEXT,
                N_("Take away parts of yours: a number, a range (2-4) or a part id."),
                metavar="PART",
            ),
            Option(("--clear",), "clear", help=N_("Take away every part of yours on it.")),
            JSON,
        ),
        (ONE_ID,),
    ),
    Command(
        "goal",
        N_(
            "Set the pace you mean to keep, and which resources count.\n\nKept "
            "with your progress; `next`, `progress` and `plan` count your "
            "horizon and say when you would be done. Without options, shows "
            "your goal. Scopes: core (the default, also without a goal) is the "
            "required resources plus optional ones you started or finished; "
            "free adds every optional resource whose cost is free (a paid "
            "course that is free to audit counts once you start it); all is "
            "every resource. Alternatives (the same material twice) count "
            "once.\n\nExample: mlpath goal --hours-per-week 6 --scope free"
        ),
        (
            Option(
                ("--hours-per-week", "-w"),
                "hours_per_week",
                FLOAT,
                N_("Hours a week you mean to spend (more than 0, at most 168)."),
                metavar="HOURS",
                maximum=168,
            ),
            Option(
                ("--scope",),
                "scope",
                CHOICE,
                N_("core, free or all (default: the goal's scope, else core)."),
                choices=("core", "free", "all"),
            ),
            Option(
                ("--clear",), "clear", help=N_("Forget the goal (`mlpath undo` brings it back).")
            ),
            JSON,
        ),
    ),
    Command(
        "paths",
        N_(
            "List the bundled paths; `mlpath paths use NAME` makes one your "
            "default.\n\n2022 follows the guide's 2022 article (the default), "
            "2025 the list's 2025 edition. Progress carries over: a resource "
            "in both paths has one id. MLPATH_CATALOG and --catalog still win "
            "over your default.\n\nExample: mlpath paths use 2025"
        ),
        (JSON,),
        (
            Argument("action", "[use]", N_("use: make NAME your default path."), required=False),
            Argument("name", "[NAME]", N_("A bundled path: 2022 or 2025."), required=False),
        ),
    ),
    Command(
        "sync",
        N_(
            "Share your progress with your other machines through a folder you sync.\n\n"
            "DIR is any folder another tool copies between your machines: Syncthing, "
            "Dropbox, a git repository, a USB stick. Each machine adds its changes to its "
            "own file there and merges the others'; run it on each machine, as often as you "
            "like. DIR is remembered (or set MLPATH_SYNC_DIR). `mlpath undo` takes back only "
            "this machine's commands.\n\n"
            "Example: mlpath sync ~/Sync/mlpath"
        ),
        (JSON,),
        (
            Argument(
                "dir",
                "[DIR]",
                N_("The shared folder (default: MLPATH_SYNC_DIR, else the one last used)."),
                required=False,
            ),
        ),
    ),
    Command(
        "ui",
        N_(
            "Open the whole path on one screen, and tick it with a key.\n\n"
            "space marks done, s starts, k skips, r resets, u undoes, n adds a note, o opens "
            "the link, / searches, f filters, ? lists the keys, q quits. Each key is one "
            "command: `mlpath undo` takes it back. Changes made meanwhile in another terminal "
            "show up.\n\n"
            "Example: mlpath ui --lang zh"
        ),
    ),
    # A page and a badge to show the journey to other people (issue #16).
    Command(
        "share",
        N_(
            "Write a page of your journey to put online: one self-contained index.html.\n\n"
            "The path by section, hours, streak, activity calendar, finished resources and "
            "your goal's pace; no script, nothing loaded from elsewhere. Your notes stay out "
            "unless you add --with-notes. A page mlpath wrote before is replaced.\n\n"
            "Example: mlpath share -o docs"
        ),
        (
            Option(
                ("--output", "-o"),
                "output",
                TEXT,
                N_("The directory to write index.html in (default: mlpath-page)."),
                metavar="DIR",
            ),
            Option(("--with-notes",), "with_notes", help=N_("Show your notes on the page too.")),
            Option(
                ("--force",),
                "force",
                help=N_("Replace an index.html that mlpath did not write."),
            ),
            JSON,
        ),
    ),
    Command(
        "badge",
        N_(
            "Make an SVG badge of your progress for a README: ML path · 34% · 12-day streak.\n\n"
            "Written to stdout, or to the -o file; in your language (--lang zh).\n\n"
            "Example: mlpath badge -o badge.svg"
        ),
        (
            OUTPUT_FILE,
            FORCE_OUTPUT,
            JSON,
        ),
    ),
)

BY_NAME = {command.name: command for command in COMMANDS}
