"""The language of a run, set before Typer parses anything (so `--help` speaks it too), and
what of Typer's own text can follow it.

Typer 0.26+ vendors Click without gettext: its words are plain literals. Those a person meets
at every turn are translated here, by wrapping the few places that write them (the usage
line, the "Error:" line and its hint, the common usage errors); Typer's own `gettext` calls
(section headings, "default", "required") go through dereg's catalog. What stays English:
metavars (TEXT, INTEGER, [OPTIONS], COMMAND [ARGS]...) and Click's rarer messages.
"""

import re

import typer
from typer import core as typer_core
from typer._click import exceptions as click_exceptions
from typer._click import formatting as click_formatting

from dereg import i18n
from dereg.errors import DeregError
from dereg.i18n import N_, _

_GLOBAL_WITH_VALUE = ("--db", "--actor")

# Click's usage errors, as patterns over its English text -> dereg's translatable message.
_CLICK_MESSAGES = (
    (re.compile(r"Missing option (?P<name>.+)\.$"), N_("Missing option {name}.")),
    (re.compile(r"Missing argument (?P<name>.+)\.$"), N_("Missing argument {name}.")),
    (re.compile(r"No such option: (?P<name>\S+)$"), N_("No such option: {name}")),
    (re.compile(r"No such option: (?P<name>\S+) \(Possible options: (?P<options>.+)\)$"),
     N_("No such option: {name} (possible options: {options})")),
    (re.compile(r"No such command (?P<name>.+)\.$"), N_("No such command {name}.")),
    (re.compile(r"Missing command\.$"), N_("Missing command.")),
    (re.compile(r"Got unexpected extra arguments? \((?P<args>.*)\)$"), N_("Got unexpected extra argument(s) ({args})")),
    (re.compile(r"Option (?P<name>\S+) requires an argument\.$"), N_("Option {name} requires an argument.")),
    (re.compile(r"Invalid value for (?P<name>[^:]+): (?P<reason>.*)$", re.S), N_("Invalid value for {name}: {reason}")),
    (re.compile(r"(?:Value error, )?(?P<value>'.*') is not one of (?P<choices>.+)\.$", re.S), N_("{value} is not one of {choices}.")),
    (re.compile(r"(?P<value>'.*') is not a valid integer\.$"), N_("{value} is not a whole number.")),
    (re.compile(r"Input should be a valid integer.*$"), N_("a whole number is needed")),
)  # fmt: skip
_CLICK_WORDS = (N_("Usage: "), N_("Error: {message}"), N_("Try '{command} {option}' for help."))
# What Typer itself passes to gettext (typer/core.py), so that the catalog has them.
_TYPER_WORDS = (
    N_("Options"),
    N_("Commands"),
    N_("Arguments"),
    N_("default: {default}"),
    N_("env var: {var}"),
    N_("required"),
    N_("(dynamic)"),
    N_("Aborted!"),
    N_("Missing command."),
    N_("No such command {name!r}."),
)


def language_in(args: list[str]) -> str | None:
    """The value of --lang among the global options (before the command), if given."""
    position = 0
    while position < len(args):
        arg = args[position]
        if arg == "--lang":
            return args[position + 1] if position + 1 < len(args) else None
        if arg.startswith("--lang="):
            return arg.partition("=")[2]
        if arg in _GLOBAL_WITH_VALUE:
            position += 1
        elif not arg.startswith("-"):
            return None
        position += 1
    return None


class Group(typer.core.TyperGroup):
    """The root command: it chooses the language before parsing its own options, so that an
    early --help and every usage error speak it."""

    def parse_args(self, ctx, args):
        try:
            language = i18n.choose(language_in(args))
        except DeregError as exc:
            i18n.use("en")
            raise click_exceptions.UsageError(str(exc), ctx) from None
        i18n.use(language)
        if language != "en":
            translate_help(self, ctx)
        return super().parse_args(ctx, args)


def translate_help(command, ctx) -> None:
    """Every help text of the command tree in the chosen language (built anew each run)."""
    for attribute in ("help", "short_help", "epilog"):
        text = getattr(command, attribute, None)
        if text:
            setattr(command, attribute, _(text))
    command.get_help_option(ctx)
    for param in (*command.params, command._help_option):
        if param is not None and getattr(param, "help", None):
            param.help = _(param.help)
    for sub in getattr(command, "commands", {}).values():
        translate_help(sub, ctx)


def click_message(message: str) -> str:
    for pattern, template in _CLICK_MESSAGES:
        found = pattern.match(message)
        if found:
            parts = {
                name: click_message(text) if name == "reason" else text
                for name, text in found.groupdict().items()
            }
            return _(template).format(**parts)
    return message


def _show_click_exception(self, file=None) -> None:
    file = file or click_exceptions.get_text_stderr()
    click_exceptions.echo(_("Error: {message}").format(message=self.format_message()), file=file)


def _show_usage_error(self, file=None) -> None:
    file = file or click_exceptions.get_text_stderr()
    hint = ""
    if self.ctx is not None and self.ctx.command.get_help_option(self.ctx) is not None:
        hint = _("Try '{command} {option}' for help.").format(
            command=self.ctx.command_path, option=self.ctx.help_option_names[0]
        )
        hint += "\n"
    if self.ctx is not None:
        click_exceptions.echo(f"{self.ctx.get_usage()}\n{hint}", file=file, color=self.ctx.color)
    message = self.format_message()
    message = message if i18n.current() == "en" else click_message(message)
    click_exceptions.echo(_("Error: {message}").format(message=message), file=file)


_write_usage = click_formatting.HelpFormatter.write_usage


def _translated_usage(self, prog, args="", prefix=None):
    return _write_usage(self, prog, args, _("Usage: ") if prefix is None else prefix)


def install() -> None:
    """Typer's own words through dereg's catalog (English stays as Typer writes it)."""
    typer_core._ = i18n.gettext
    click_exceptions.ClickException.show = _show_click_exception
    click_exceptions.UsageError.show = _show_usage_error
    click_formatting.HelpFormatter.write_usage = _translated_usage
