"""dereg: a case tracker for candidates removed from Kazakhstan's elections."""

__version__ = "0.1.0"
