"""`mlpath share` and `mlpath badge`: the learner's journey as a page and a badge.

`page` gathers what they show from the catalog and the progress store (no template
engine, no terminal library: a domain module); `html` lays it out with the Jinja2
templates beside it, autoescaped, and `badge` draws the SVG badge.
"""
