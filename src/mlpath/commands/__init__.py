"""One module per command, each with `run(ctx, values)` returning the command's result.

A module is imported only when its command runs (see mlpath.definition).
"""
