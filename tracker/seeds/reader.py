"""Read seed and record files; report every problem at once, each with file, path and fix."""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any, NamedTuple

import yaml
from pydantic import ValidationError

from ..domain.errors import DomainError
from .checks import seed_problems
from .fields import shown
from .lines import Lines, duplicate_message, map_lines
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


class ReadFile(NamedTuple):
    """A file read and validated, with the line of every path in it (for later errors)."""

    path: Path
    document: Document
    lines: Lines

    def where(self, loc: str) -> str:
        """Return `file:line: loc`, the prefix of an error about `loc` in this file."""
        return located(self.path, self.lines, loc)


def located(path: Path, lines: Lines | None, loc: str) -> str:
    """Return `file:line: loc` (`file: loc` where the line is not known)."""
    line = lines.line_of(loc) if lines is not None else None
    return f"{path}:{line}: {loc}" if line is not None else f"{path}: {loc}"


def read_documents(paths: Iterable[str | Path]) -> list[ReadFile]:
    """Return every file parsed, or raise one SeedError listing the problems of all of them."""
    out: list[ReadFile] = []
    problems: list[str] = []
    for path in paths:
        try:
            out.append(read_file(path))
        except SeedError as error:
            problems.extend(error.problems)
    if problems:
        raise SeedError(problems)
    return out


def read_document(path: str | Path) -> Document:
    """Return the seed or record file at `path`, validated."""
    return read_file(path).document


def read_file(path: str | Path) -> ReadFile:
    """Return the seed or record file at `path`, validated, with its lines."""
    path = Path(path)
    raw, lines = _load_yaml(path)
    dups = [(f"{path}:{line}: {_path([where, key]) if where else key}",
             duplicate_message(key)) for line, where, key in lines.duplicates]
    if isinstance(raw, dict) and "records" in raw:
        return ReadFile(path, _validate(path, RecordFile, raw, [], lines, dups), lines)
    if isinstance(raw, dict) and "commitments" in raw:
        return ReadFile(path, _validate(path, AgreementSeed, raw, seed_problems(raw), lines,
                                        dups), lines)
    if dups:
        raise SeedError([f"{at}: {message}" for at, message in dups])
    raise SeedError([f"{path}: neither a seed file (top-level `agreement` and `commitments`) "
                     "nor a record file (top-level `agreement` and `records`)"])


def read_fragment(path: str | Path, *, limit: int = MAX_BYTES) -> tuple[Any, Lines]:
    """Return a YAML file holding part of a seed (one scenario, one condition) and its lines,
    read with a seed file's limits; a key written twice is refused with its line."""
    path = Path(path)
    raw, lines = _load_yaml(path, limit)
    if lines.duplicates:
        raise SeedError([f"{path}:{line}: {_path([where, key]) if where else key}: "
                         f"{duplicate_message(key)}" for line, where, key in lines.duplicates])
    return raw, lines


def _load_yaml(path: Path, limit: int = MAX_BYTES) -> tuple[Any, Lines]:
    try:
        size = path.stat().st_size
        if size > limit:
            raise SeedError([f"{path}: {size} bytes is over the {limit} byte limit; "
                             "split the file"])
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise SeedError([f"{path}: cannot be read ({error}); check the path"]) from None
    try:
        if text.count("*") > MAX_ALIASES and _alias_count(text) > MAX_ALIASES:
            raise SeedError([f"{path}: more than {MAX_ALIASES} YAML aliases; write the values "
                             "out"])
        return _compose_and_construct(text)
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


def _compose_and_construct(text: str) -> tuple[Any, Lines]:
    """Return the document and its lines: composed to nodes first, whose marks hold the lines
    (and show keys written twice, which constructing would silently drop)."""
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        lines = map_lines(node)
        return (loader.construct_document(node) if node is not None else None), lines
    finally:
        loader.dispose()


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
              extra: list[tuple[str, str]], lines: Lines | None = None,
              located_first: list[tuple[str, str]] | None = None) -> Document:
    """Return `raw` as `model`, or raise listing every problem: `located_first` (already
    `file:line: path`), then the schema's and `extra`'s, each at its line."""
    problems = [(loc, msg) for loc, msg in extra]
    try:
        agreement = raw.get("agreement")
        tz = agreement.get("timezone") if isinstance(agreement, dict) else None
        parsed = model.model_validate(raw, context={"tz": tz})
    except ValidationError as error:
        problems = _pydantic_problems(error) + problems
        parsed = None
    first = [f"{at}: {msg}" for at, msg in located_first or []]
    if problems or parsed is None or first:
        raise SeedError(first + [f"{located(path, lines, loc)}: {msg}"
                                 for loc, msg in _dedupe(problems)])
    return parsed


def _pydantic_problems(error: ValidationError) -> list[tuple[str, str]]:
    out = []
    for item in error.errors(include_url=False):
        if item["type"] in ("recursion_loop", "recursion_depth_exceeded"):
            continue  # only conditions nest, and the seed's checks say where one is too deep
        *parents, last = item["loc"] or ("",)
        # An unknown key is always named, whatever it looks like ("hold-for", "Slug").
        keep = item["type"] == "extra_forbidden" or _is_field(last)
        parts: list[object] = [p for p in parents if _is_field(p)]
        loc = _path(parts + ([last] if keep else []))
        out.append((loc or "(top level)", _message(item, last)))
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


# Raw library text ("Input should be less than or equal to 6") says neither the scale nor the fix.
_RANGES = {
    "credibility": "is not on the Admiralty scale 1-6; give 1 (confirmed) to 6 (cannot be judged)",
    "reliability": "is not on the Admiralty scale A-F; give a letter A (completely reliable) to F "
                   "(cannot be judged)",
    "confidence": "is outside 0..1; give your confidence as a fraction, e.g. 0.8",
}


def _message(item: Any, last: object = None) -> str:
    kind, msg = item["type"], item["msg"]
    if last in _RANGES and kind != "missing":
        return f"{shown(item['input'])} {_RANGES[str(last)]}"
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


def validate_seed(where: str | Path, raw: dict[str, Any], lines: Lines | None = None) -> AgreementSeed:
    """Return `raw` validated exactly as a seed file is (fields, references, cycles); errors
    begin `where:` (`where:line:` at the paths `lines` knows)."""
    parsed = _validate(Path(where), AgreementSeed, raw, seed_problems(raw), lines)
    assert isinstance(parsed, AgreementSeed)
    return parsed
