"""The one exception the core raises, and the exit statuses the CLI returns."""

from enum import IntEnum


class ExitStatus(IntEnum):
    OK = 0
    DATA = 1  # the data said no: invalid value, unknown id, conflict
    USAGE = 2  # the command line was wrong
    INTERRUPTED = 130  # Ctrl-C
    BROKEN_PIPE = 141  # the reader of our output went away, as after SIGPIPE


class DeregError(Exception):
    """A problem the user can fix; its message is one line naming the value and where."""

    exit_status = ExitStatus.DATA


class InvalidValue(DeregError):
    """A value that does not parse: an amount, a date, a region, an enum.

    `field` names the value's column or option, once a caller knows it.
    """

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field


class NotFound(DeregError):
    """An id or a name that is not in the database."""


class Conflict(DeregError):
    """A change that would contradict what is already recorded."""


class UsageError(DeregError):
    """The command line was wrong: a required option missing, options that do not go together."""

    exit_status = ExitStatus.USAGE
