"""`mlpath ui`: the whole path on one screen, ticked with a key (Textual).

Only `mlpath ui` imports this package, and only it imports Textual: a normal run never
pays for it. What the view shows is read by the same domain code as `mlpath list`,
`show` and `next`; what a key changes is done by running the command the CLI would
run (see :mod:`mlpath.ui.actions`), so each key press is one unit that `undo` takes back.
"""
