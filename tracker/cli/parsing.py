"""Command-line parsing that reads `-0.1` as a value: Click would take it for an unknown short
option `-0` ("No such option: -0"), and the user would never hear the value's range."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any, TypeVar

import typer
from typer.core import TyperCommand

F = TypeVar("F", bound=Callable[..., Any])
NEGATIVE_NUMBER = re.compile(r"^-(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$")


class NegativeValues(TyperCommand):
    """A command whose arguments may be negative numbers; an unknown option is still refused."""

    # Typer vendors its own Click: its types are reached through the objects, not imported.
    def make_parser(self, ctx: Any) -> Any:
        parser = super().make_parser(ctx)
        parser.ignore_unknown_options = True  # `-0.1` reaches the argument, to be range-checked
        return parser

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        unknown = unknown_option(self.get_params(ctx), args)
        if unknown is not None:
            ctx.fail(f"No such option: {unknown}")
        result: list[str] = super().parse_args(ctx, args)
        return result


def unknown_option(params: list[Any], args: list[str]) -> str | None:
    """Return the first token that looks like an option the command lacks, as Click would
    have refused it without `ignore_unknown_options`; option values and numbers pass.

    >>> class Opt: param_type_name, opts, secondary_opts, is_flag = "option", ["--by"], [], False
    >>> unknown_option([Opt()], ["a/s", "-0.1", "--by", "-x"]), unknown_option([Opt()], ["--b"])
    (None, '--b')
    """
    takes_value = {name: not getattr(p, "is_flag", False) and not getattr(p, "count", False)
                   for p in params if p.param_type_name == "option"
                   for name in (*p.opts, *p.secondary_opts)}
    skip = False
    for arg in args:
        if arg == "--":
            return None
        if skip:
            skip = False
            continue
        name = arg.split("=", 1)[0]
        if name in takes_value:
            skip = takes_value[name] and "=" not in arg
        elif arg.startswith("-") and len(arg) > 1 and not NEGATIVE_NUMBER.match(arg):
            return name
    return None


class Tracker(typer.Typer):
    """The tracker's Typer app: every command reads negative numbers as values."""

    def command(self, name: str | None = None, **kwargs: Any) -> Callable[[F], F]:
        kwargs.setdefault("cls", NegativeValues)
        return super().command(name, **kwargs)
