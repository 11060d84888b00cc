"""Read seed and record files; report every problem at once, each with file, path and fix."""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from ..domain.errors import DomainError
from .checks import seed_problems
from .fields import shown
from .schema import AgreementSeed, RecordFile

MAX_BYTES = 5_000_000  # a real agreement is kilobytes; this refuses accidents and bombs alike
MAX_ALIASES = 100
_UNION_TAG = re.compile(r"^[a-z]+(-[a-z]+)*\[")


class SeedError(DomainError):
    """A seed or record file that cannot be loaded; `problems` holds one line per problem."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("\n".join(problems))


Document = AgreementSeed | RecordFile


def read_documents(paths: Iterable[str | Path]) -> list[tuple[Path, Document]]:
    """Return every file parsed, or raise one SeedError listing the problems of all of them."""
    out: list[tuple[Path, Document]] = []
    problems: list[str] = []
    for path in paths:
        try:
            out.append((Path(path), read_document(path)))
        except SeedError as error:
            problems.extend(error.problems)
    if problems:
        raise SeedError(problems)
    return out


def read_document(path: str | Path) -> Document:
    """Return the seed or record file at `path`, validated."""
    path = Path(path)
    raw = _load_yaml(path)
    if isinstance(raw, dict) and "records" in raw:
        return _validate(path, RecordFile, raw, [])
    if isinstance(raw, dict) and "commitments" in raw:
        return _validate(path, AgreementSeed, raw, seed_problems(raw))
    raise SeedError([f"{path}: neither a seed file (top-level `agreement` and `commitments`) "
                     "nor a record file (top-level `agreement` and `records`)"])


def _load_yaml(path: Path) -> Any:
    return load_yaml(path)


def load_yaml(path: Path, *, max_bytes: int = MAX_BYTES) -> Any:
    """Return a YAML file's content, loaded safely within the limits every input shares (size,
    aliases, nesting); a SeedError with the file and line otherwise."""
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise SeedError([f"{path}: {size} bytes is over the {max_bytes} byte limit; "
                             "split the file"])
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise SeedError([f"{path}: cannot be read ({error}); check the path"]) from None
    try:
        if text.count("*") > MAX_ALIASES and _alias_count(text) > MAX_ALIASES:
            raise SeedError([f"{path}: more than {MAX_ALIASES} YAML aliases; write the values "
                             "out"])
        return yaml.load(text, Loader=_Loader)
    except RecursionError:  # only without libyaml, whose parser stops at 1000 levels by itself
        raise SeedError([f"{path}: nested too deeply; a seed needs a few levels"]) from None
    except yaml.reader.ReaderError as error:  # a control character, which YAML forbids
        at = text[: error.position].count("\n") + 1
        raise SeedError([f"{path}: line {at}: character {chr(error.character)!r} is not "
                         "allowed in YAML; remove it or write it as an escape in double quotes"]
                        ) from None
    except yaml.YAMLError as error:
        where = getattr(error, "problem_mark", None)
        line = f"line {where.line + 1}: " if where is not None else ""
        problem = " ".join(str(getattr(error, "problem", None) or error).split())
        raise SeedError([f"{path}: {line}not valid YAML ({problem}); fix the syntax"]) from None


def _alias_count(text: str) -> int:
    return sum(isinstance(e, yaml.AliasEvent) for e in yaml.parse(text, Loader=_Loader))


# libyaml's parser when the wheel has it: the same safe loading, far faster.
class _Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]  # a base from getattr
    """Safe loading, where a value YAML's own types cannot hold (`2016-02-30`, `!!int x`) is a
    YAMLError with its line, not a bare ValueError."""

    def construct_object(self, node: yaml.Node, deep: bool = False) -> Any:
        try:
            return super().construct_object(node, deep=deep)
        except yaml.YAMLError:
            raise
        except Exception as error:  # noqa: BLE001 - `!!int ""` raises IndexError, `!!timestamp ""` AttributeError...
            kind = str(node.tag).rsplit(":", 1)[-1]
            raise yaml.constructor.ConstructorError(
                None, None, f"{shown(node.value)} is not a valid {kind}: {error}; quote it to "
                "keep it as text", node.start_mark) from None


def _validate(path: Path, model: type[Document], raw: dict[str, Any],
              extra: list[tuple[str, str]]) -> Document:
    problems = [(loc, msg) for loc, msg in extra]
    try:
        parsed = model.model_validate(raw)
    except ValidationError as error:
        problems = _pydantic_problems(error) + problems
        parsed = None
    if problems or parsed is None:
        raise SeedError([f"{path}: {loc}: {msg}" for loc, msg in _dedupe(problems)])
    return parsed


def _pydantic_problems(error: ValidationError) -> list[tuple[str, str]]:
    out = []
    for item in error.errors(include_url=False):
        *parents, last = item["loc"] or ("",)
        # An unknown key is always named, whatever it looks like ("hold-for", "Slug").
        keep = item["type"] == "extra_forbidden" or _is_field(last)
        parts: list[object] = [p for p in parents if _is_field(p)]
        loc = _path(parts + ([last] if keep else []))
        out.append((loc or "(top level)", _message(item)))
    return out


def _is_field(part: object) -> bool:
    # Unions add the member's type name to `loc` ("function-before[...]", "AfterIn"): not a path.
    # A slug ("seven-day-calm") is a key of the path, so a hyphen alone does not make a tag.
    return isinstance(part, int) or (isinstance(part, str) and not part[:1].isupper()
                                     and _UNION_TAG.match(part) is None)


def _path(parts: list[object]) -> str:
    out = ""
    for part in parts:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _message(item: Any) -> str:
    kind, msg = item["type"], item["msg"]
    if kind == "extra_forbidden":
        return "unknown key; remove it or check its spelling against the seed format"
    if kind == "missing":
        return "required; add it"
    if kind == "enum":
        return f"{shown(item['input'])} is not a state; use one of {item['ctx']['expected']}"
    return str(msg).removeprefix("Value error, ")


def _dedupe(problems: list[tuple[str, str]]) -> list[tuple[str, str]]:
    seen: dict[tuple[str, str], None] = {}
    for p in problems:
        seen.setdefault(p, None)
    return list(seen)


def validate_seed(where: str, raw: dict[str, Any]) -> AgreementSeed:
    """Return `raw` validated exactly as a seed file is (fields, references, cycles)."""
    parsed = _validate(Path(where), AgreementSeed, raw, seed_problems(raw))
    assert isinstance(parsed, AgreementSeed)
    return parsed
