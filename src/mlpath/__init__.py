"""mlpath: a command-line learning-path tracker for machine learning, from zero, for free."""

__version__ = "0.1.0"
