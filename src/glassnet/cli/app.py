"""The click group behind ``glassnet``: global options and the registered commands."""

from __future__ import annotations

import sys
from typing import NoReturn

import click

from .common import Settings
from .errors import run

__all__ = ["cli", "main"]

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


@click.group(context_settings=CONTEXT, epilog="""\b
Examples:
  glassnet example                      the lecture's worked example
  glassnet train digits --plots plots/  train, then draw the run
  glassnet --debug train data.csv --target label
""")
@click.option("--debug", is_flag=True, help="Show the full traceback when something fails.")
@click.option("--quiet", "-q", is_flag=True, help="No progress bars or messages; results only.")
@click.version_option(package_name="glassnet", prog_name="glassnet")
@click.pass_context
def cli(ctx: click.Context, debug: bool, quiet: bool) -> None:
    """glassnet: neural networks you can see through.

    Every command has its own help: glassnet COMMAND --help.
    """
    settings = ctx.ensure_object(Settings)
    settings.debug = settings.debug or debug
    settings.quiet = quiet


def _register() -> None:
    from . import evaluate, lecture, models, plotting, training

    for module in (lecture, training, evaluate, models, plotting):
        for command in module.COMMANDS:
            cli.add_command(command)


_register()


GLOBAL_FLAGS = ("--debug", "--quiet")


def _globals_first(argv: list[str]) -> list[str]:
    """``glassnet train digits --debug`` means ``glassnet --debug train digits``: the global
    flags work wherever they are typed (up to a ``--``)."""
    end = argv.index("--") if "--" in argv else len(argv)
    flags = [a for a in argv[:end] if a in GLOBAL_FLAGS]
    return flags + [a for a in argv[:end] if a not in GLOBAL_FLAGS] + argv[end:]


def main(args: list[str] | None = None) -> NoReturn:
    """Run the command line on ``args`` (default ``sys.argv[1:]``) and exit with its code."""
    argv = _globals_first(sys.argv[1:] if args is None else list(args))
    # --debug is read before parsing too, so a mistake found while parsing can show its trace
    settings = Settings(debug="--debug" in argv)
    code = run(cli, argv, settings)
    sys.exit(code)
