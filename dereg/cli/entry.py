"""Questions at a terminal, as `hledger add` asks them: line editing and history (stdlib
readline: no dependency, and it is what Python's input() already speaks), Tab completion of
what is recorded, a default in brackets taken with Enter, Ctrl-D to cancel.

The history file keeps places and choices across sessions, never a candidate's name, a
reason or a note: a borrowed laptop keeps no one's name."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

import typer

from dereg.errors import DeregError
from dereg.i18n import _

HISTORY_LENGTH = 500


class Cancelled(DeregError):
    """Ctrl-D at a question."""


def history_path() -> Path | None:
    """$DEREG_HISTORY (empty: none), else dereg/history under $XDG_STATE_HOME or ~/.local/state."""
    named = os.environ.get("DEREG_HISTORY")
    if named is not None:
        return Path(named) if named else None
    state = os.environ.get("XDG_STATE_HOME") or os.path.join(os.path.expanduser("~"), ".local", "state")
    return Path(state) / "dereg" / "history"


class Desk:
    """One session of questions. On a terminal (stdin and stdout), input() edits lines with
    readline; elsewhere (a test, `id=$(dereg case add)`) the question goes to stderr."""

    def __init__(self) -> None:
        self.readline = None
        self.choices: Sequence[str] = ()
        try:
            interactive = sys.stdin.isatty() and sys.stdout.isatty()
            interactive = interactive and sys.stdin.fileno() == 0 and sys.stdout.fileno() == 1
        except (AttributeError, ValueError, OSError):
            interactive = False
        if not interactive:
            return
        try:
            import readline
        except ImportError:  # Python built without it: plain input, as before
            return
        self.readline = readline
        readline.set_completer_delims("")  # names hold spaces: complete the whole answer
        readline.set_completer(self._complete)
        if "libedit" in (readline.__doc__ or ""):
            readline.parse_and_bind("bind ^I rl_complete")
        else:
            readline.parse_and_bind("tab: complete")
            readline.parse_and_bind("set completion-ignore-case on")
        self.history = history_path()
        if self.history is not None and self.history.exists():
            try:
                readline.read_history_file(self.history)
            except OSError:
                pass

    def close(self) -> None:
        """Keep the history (readable by you alone)."""
        if self.readline is None or self.history is None:
            return
        try:
            self.history.parent.mkdir(parents=True, exist_ok=True)
            self.readline.set_history_length(HISTORY_LENGTH)
            if not self.history.exists():
                from dereg.files import create_private

                create_private(self.history)
            self.readline.write_history_file(self.history)
        except OSError:
            pass  # a read-only home: the session simply keeps no history

    def _complete(self, text: str, state: int) -> str | None:
        key = text.casefold()
        found = [choice for choice in self.choices if choice.casefold().startswith(key)]
        return found[state] if state < len(found) else None

    def ask(
        self,
        label: str,
        *,
        default: str | None = None,
        choices: Sequence[str] = (),
        optional: bool = False,
        private: bool = False,
        hint: bool = True,
    ) -> str:
        """One answer: the default for Enter, '' for Enter at an optional question.
        Ctrl-D cancels (Cancelled: nothing written)."""
        self.choices = choices
        shown = f" [{default}]" if default else _(" (Enter: none)") if optional and hint else ""
        prompt = f"{label}{shown}: "
        while True:
            try:
                if self.readline is not None:
                    answer = input(prompt)
                else:
                    # To stderr, so that `id=$(dereg case add)` captures the id alone.
                    typer.echo(prompt, nl=False, err=True)
                    answer = input()
            except EOFError:
                typer.echo("", err=True)  # off the question's line
                raise Cancelled(_("cancelled, nothing written")) from None
            if private and self.readline is not None and answer.strip():
                self.readline.remove_history_item(self.readline.get_current_history_length() - 1)
            if answer.strip():
                return answer.strip()
            if default:
                return default
            if optional:
                return ""
            typer.echo("  " + _("required: type a value, or Ctrl-D to cancel"), err=True)

    def checked(self, label: str, check: Callable[[str], object], **options) -> str:
        """Ask until check(answer) passes; its error is shown and the question asked again."""
        while True:
            answer = self.ask(label, **options)
            if answer == "" and options.get("optional"):
                return answer
            try:
                check(answer)
            except Cancelled:
                raise
            except DeregError as exc:
                typer.echo(f"  {exc}", err=True)
                continue
            return answer

    def confirm(self, question: str, *, default: bool) -> bool:
        """y/n; Enter takes the default; Ctrl-D cancels."""
        choices = _("[Y/n]") if default else _("[y/N]")
        while True:
            answer = self.ask(f"{question} {choices}", optional=True, hint=False, private=True).casefold()
            if not answer:
                return default
            if answer in ("y", "yes", "д", "да", "и", "иә"):
                return True
            if answer in ("n", "no", "н", "нет", "ж", "жоқ"):
                return False
            typer.echo("  " + _("y or n"), err=True)


def at_terminal(no_input: bool = False) -> bool:
    """Whether there is someone to ask: stdin is a terminal and --no-input was not given."""
    try:
        return not no_input and sys.stdin.isatty()
    except (AttributeError, ValueError):
        return False
