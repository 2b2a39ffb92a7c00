"""The `missionplan` command line: the app, its root options, and the commands in cycle order.

Each command lives in its step's folder (`export/command.py`, `validate/command.py`, ...):
it parses its arguments, makes one library call and renders the result; the options that
several commands take are declared once in `terminal/options.py`. A `MissionplanError`
becomes its one-line message and exit code in one place (`_Commands.invoke`).

Only typer and the standard library are imported at start-up: pandas, pandera and
openpyxl are imported inside the commands that use them, and typer's conversions (which
import pydantic) only for a value that needs one (`terminal/coercion.py`), so `--help`,
`--version`, `catalog` and `validate --codes` start fast.
"""

from __future__ import annotations

import atexit
import gc
import inspect
import os
import sys
from collections.abc import Callable
from typing import Annotated, Any

import typer

from missionplan import __version__
from missionplan.collect.command import collect, history, status
from missionplan.demo.command import demo
from missionplan.diff.command import diff
from missionplan.errors import MissionplanError
from missionplan.export.command import export, init
from missionplan.merge.command import merge
from missionplan.planning.command import catalog, schema
from missionplan.report.command import report
from missionplan.terminal.output import Settings, colour_wanted, configure
from missionplan.upgrade.command import upgrade
from missionplan.validate.command import validate

try:
    from missionplan.terminal.coercion import defer_conversions
except ImportError:  # a typer without these internals converts every value itself: slower

    def defer_conversions(params: list[Any]) -> list[Any]:
        return params


COMMANDS: tuple[Callable[..., None], ...] = (
    catalog,
    init,
    schema,
    export,
    validate,
    collect,
    status,
    history,
    merge,
    diff,
    upgrade,
    report,
    demo,
)
"""Every command, in the order of the planning cycle (and of `missionplan --help`)."""


def _error(message: str, code: int) -> int:
    """Print a one-line (or short) error for a person on stderr; returns the exit code."""
    typer.echo(f"missionplan: error: {message}", err=True)
    return code


class _Commands(typer.core.TyperGroup):
    """Turns a user error into its message and exit code, also when the app is called directly."""

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except MissionplanError as error:
            raise typer.Exit(_error(str(error), error.exit_code)) from None

    def get_params(self, ctx: Any) -> list[Any]:
        return defer_conversions(super().get_params(ctx))

    def list_commands(self, ctx: Any) -> list[str]:
        return list(self.commands)  # the cycle's order, not the alphabet's

    def get_command(self, ctx: Any, name: str) -> Any:
        """The command, its arguments shown by their word alone (`PLAN.yaml`, not `<file>`)."""
        command = super().get_command(ctx, name)
        for param in getattr(command, "params", ()):
            if param.param_type_name == "argument" and param.metavar:
                param.display_type_rich = lambda ctx: None
        return command


class _Command(typer.core.TyperCommand):
    """A command whose values are converted only when they need it (`terminal/coercion.py`)."""

    def get_params(self, ctx: Any) -> list[Any]:
        return defer_conversions(super().get_params(ctx))


app = typer.Typer(
    cls=_Commands,
    name="missionplan",
    help="Planning workbooks for UN peace operations: distribute, validate and merge.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def summary(command: Callable[..., None]) -> str:
    """A command's one-line summary, in full: the first line of its docstring."""
    return inspect.getdoc(command).splitlines()[0]  # type: ignore[union-attr]


for _command in COMMANDS:
    app.command(cls=_Command, short_help=summary(_command))(_command)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"missionplan {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    ctx: typer.Context,
    version: Annotated[
        bool,
        typer.Option(
            "--version", help="Show the version and exit.", callback=_version, is_eager=True
        ),
    ] = False,
    quiet: Annotated[
        bool,
        typer.Option("--quiet", "-q", help="Print only errors (and JSON when asked for)."),
    ] = False,
    color: Annotated[
        bool | None,
        typer.Option(
            "--color/--no-color",
            help="Colour the output; by default when it is a terminal (NO_COLOR, FORCE_COLOR "
            "and TERM=dumb are honoured).",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Planning workbooks for UN peace operations: distribute, validate and merge."""
    configure(Settings(quiet=quiet))
    ctx.color = colour_wanted(color, os.environ, sys.stdout.isatty())


def main() -> None:
    """Entry point: run the app; Ctrl-C and a bug also end in one line and an exit code.

    A user error never reaches here: the app itself turns it into its message and code.
    """
    # When the process ends its objects need no cycle collection, which for a merge of 20
    # files costs about 0.1 s of CPU: the collector is frozen at exit, before shutdown's
    # collection (registered once, however often a test calls main).
    atexit.unregister(gc.freeze)
    atexit.register(gc.freeze)
    # A command makes objects by the hundred thousand and few cycles: collecting the young
    # every 20,000 new objects, not every 700, takes an eighth off the demo (8.5 -> 7.4 s)
    # for the same peak memory. Given back after, for a caller that runs main in process.
    thresholds = gc.get_threshold()
    gc.set_threshold(20_000, 10, 10)
    try:
        app()
    except KeyboardInterrupt:
        raise SystemExit(_error("interrupted", 130)) from None
    except Exception as error:
        if os.environ.get("MISSIONPLAN_DEBUG", "0") not in ("", "0"):
            raise
        raise SystemExit(
            _error(
                f"unexpected {type(error).__name__}: {error}. "
                "Please report this; set MISSIONPLAN_DEBUG=1 to see the details.",
                3,
            )
        ) from None
    finally:
        gc.set_threshold(*thresholds)
