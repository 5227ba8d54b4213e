"""How the command line fails: one line for a user's mistake (exit 2), a hint for a bug (exit 1).

==========  ===============================================================================
exit code   meaning
==========  ===============================================================================
0           done
1           an internal error: a bug in glassnet (``--debug`` shows the traceback)
2           a user mistake: unknown data set, missing or damaged file, bad CSV, unknown
            option value, wrong input length, ... One line on stderr says what was wrong
            and what was expected.
130         interrupted (Ctrl-C)
==========  ===============================================================================

The library raises ``ValueError``/``TypeError`` exactly where user input is wrong (the
house rule of STYLE.md), so the commands wrap each call that consumes user input in
:func:`user_input`, which turns those errors into :class:`UserError`. Everything else that
escapes a command is treated as a bug.
"""

from __future__ import annotations

import contextlib
import sys
import traceback

import click

__all__ = ["UserError", "user_input", "run"]


class UserError(click.ClickException):
    """A mistake in what the user asked for; shown as one line, exit code 2."""

    exit_code = 2


@contextlib.contextmanager
def user_input(what: str | None = None, also: tuple = ()):
    """Turn the library's ``ValueError``/``TypeError``/``OSError`` into a :class:`UserError`.

    ``what`` prefixes the message, e.g. ``"data set 'digits'"``; ``also`` adds exception
    types that mean bad input at this call (e.g. ``KeyError`` from a JSON file's fields).
    """
    try:
        yield
    except (ValueError, TypeError, OSError, *also) as error:
        message = _one_line(error)
        raise UserError(f"{what}: {message}" if what else message) from error


def _one_line(error: BaseException) -> str:
    if isinstance(error, OSError) and error.strerror and error.filename:
        return f"{error.filename}: {error.strerror.lower()}"
    text = " ".join(str(error).split()) or type(error).__name__
    return text


def run(group: click.Group, args: list[str] | None, settings) -> int:
    """Run ``group`` on ``args`` and return the exit code; never raises (but ``SystemExit``)."""
    try:
        # without standalone mode click returns (not raises) the code of a ctx.exit()/Exit
        code = group.main(args=args, prog_name="glassnet", standalone_mode=False, obj=settings)
    except click.exceptions.Exit as done:
        return done.exit_code
    except click.exceptions.Abort:
        click.echo("glassnet: interrupted", err=True)
        return 130
    except click.exceptions.NoArgsIsHelpError as error:  # `glassnet` or `glassnet quiz` alone
        click.echo(error.ctx.get_help())
        return 0
    except click.ClickException as error:
        if settings.debug:  # where the library found the mistake, or else where we did
            traceback.print_exception(error.__cause__ or error, file=sys.stderr)
        click.echo(f"glassnet: error: {_usage_line(error)}", err=True)
        return error.exit_code
    except KeyboardInterrupt:
        click.echo("glassnet: interrupted", err=True)
        return 130
    except BrokenPipeError:  # `glassnet predict … | head`: the reader left, nothing is wrong
        return 0
    except Exception as error:  # noqa: BLE001 - the last line of defence of the program
        if settings.debug:
            traceback.print_exc(file=sys.stderr)
        click.echo(f"glassnet: internal error: {type(error).__name__}: {_one_line(error)} "
                   "(this is a bug in glassnet; rerun with --debug for the traceback)", err=True)
        return 1
    return code if isinstance(code, int) else 0


def _usage_line(error: click.ClickException) -> str:
    """The message, plus where to look when it was a mistake on the command line."""
    message = " ".join(error.format_message().split())
    ctx = getattr(error, "ctx", None)
    if isinstance(error, click.UsageError) and ctx is not None:
        message += f" (see '{ctx.command_path} --help')"
    return message
