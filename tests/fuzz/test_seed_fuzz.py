"""Fuzzing the seed loader: any seed or record file is loaded whole or refused whole, with one
line per problem naming the file, and never a traceback or a partial write."""

from __future__ import annotations

import copy
import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import example, given, settings
from hypothesis import strategies as st

from tracker import services
from tracker.seeds import SeedError
from tracker.seeds.reader import MAX_ALIASES, MAX_BYTES

from ..conftest import SEEDS, SYRIA, Cli
from .hostile import FUZZ, Databases, assert_clean, values

BASE = yaml.safe_load((SEEDS / f"{SYRIA}.yaml").read_text(encoding="utf-8"))
RECORDS = yaml.safe_load((SEEDS / f"{SYRIA}.record.yaml").read_text(encoding="utf-8"))
SEED_NOW = "2016-09-10T12:00:00+03:00"
RECORD_NOW = "2016-10-10T00:00:00+03:00"
YAML_BITS = ["[", "]", "{", "}", ": ", "- ", "\n", "  ", "&a ", "*a", "agreement:", "commitments:",
             "records:", "? ", "|\n", ">-\n", "'", '"', "%YAML 1.1\n", "---\n", "...\n", "<<: *a",
             "!!binary ", "!!timestamp ", "!!int ", "!!float ", "!!python/object:os.system ",
             "!!set ", "2016-02-30", "2016-09-12 25:00:00", "0o9", "1e999", ".nan", "~", "#",
             "\t", "\x00", "\ufeff", "é", "slug: x", "-" * 3, ","]


def _paths(node: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [prefix]
    if isinstance(node, dict):
        for key, value in node.items():
            out += _paths(value, (*prefix, key))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            out += _paths(value, (*prefix, i))
    return out


def _at(doc: Any, path: tuple[Any, ...]) -> Any:
    for part in path:
        doc = doc[part]
    return doc


@st.composite
def mutated(draw: st.DrawFn, base: dict[str, Any]) -> dict[str, Any]:
    """Return `base` with one to three hostile changes: a value replaced, a key dropped or
    added, an element repeated (duplicate slugs), or a dependency turned into a cycle."""
    doc = copy.deepcopy(base)
    for _ in range(draw(st.integers(1, 3))):
        path = draw(st.sampled_from(_paths(doc)[1:]))
        parent, last = _at(doc, path[:-1]), path[-1]
        action = draw(st.sampled_from(["set", "set", "set", "drop", "add", "repeat", "cycle"]))
        if action == "set":
            parent[last] = draw(values)
        elif action == "drop" and isinstance(parent, dict):
            del parent[last]
        elif action == "add" and isinstance(parent, dict):
            parent[draw(st.sampled_from(["colour", "Slug", "", "slug ", "0"]))] = draw(values)
        elif action == "repeat" and isinstance(parent, list):
            parent.insert(draw(st.integers(0, len(parent))), copy.deepcopy(parent[last]))
        elif action == "cycle" and isinstance(doc.get("commitments"), list) and doc["commitments"]:
            first = doc["commitments"][0]
            if isinstance(first, dict):
                first["requires"] = {"all_of": {"joint-targeting": "active"}}
    return doc


def _write(tmp_path: Path, content: str | bytes | dict[str, Any], name: str = "fuzz.yaml") -> Path:
    path = tmp_path / name
    if isinstance(content, dict):
        content = yaml.safe_dump(content, sort_keys=False, allow_unicode=True)
    if isinstance(content, str):
        content = content.encode("utf-8", "surrogatepass")
    path.write_bytes(content)
    return path


def assert_validates_or_refuses(path: Path) -> None:
    """services.validate either passes or raises one SeedError whose every line names the file."""
    try:
        services.validate([path])
    except SeedError as error:
        assert error.problems
        for line in str(error).splitlines():
            assert re.match(rf"{re.escape(str(path))}(:\d+)?: ", line), line[:300]
            assert len(line) <= 1500, f"an unreadable {len(line)}-character line: {line[:300]}"


@pytest.fixture(scope="module")
def empty(tmp_path_factory: pytest.TempPathFactory) -> Databases:
    return Databases(tmp_path_factory.mktemp("seed-fuzz"))


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> Databases:
    return Databases(tmp_path_factory.mktemp("record-fuzz"),
                     lambda cli: cli.ok("load", str(SEEDS / f"{SYRIA}.yaml"), now=SEED_NOW))


def _loads_whole_or_refuses_unchanged(cli: Cli, path: Path, before: str, now: str) -> None:
    result = cli("load", str(path), now=now)
    assert_clean(result, names=str(path))
    assert result.exit_code in (0, 1), result.stderr
    if result.exit_code == 1:
        assert cli.export() == before, "a refused load wrote to the database"
    else:  # loaded whole: it reads back
        assert_clean(shown := cli("status", "--json", now=now))
        assert shown.exit_code == 0, shown.stderr


@settings(FUZZ, max_examples=150)
@given(doc=mutated(BASE))
@example(doc={**BASE, "commitments": [{**c, "hold_for": "P99999999999D"} if c["slug"] ==
                                       "seven-day-calm" else c for c in BASE["commitments"]]})
@example(doc={**BASE, "agreement": {**BASE["agreement"],
                                    "announced_at": "0001-01-01T00:00:00+14:00"}})
@example(doc={**BASE, "agreement": {**BASE["agreement"],
                                    "announced_at": "9999-12-31T20:00:00Z"}})
def test_a_mutated_seed_loads_whole_or_is_refused_unchanged(
        empty: Databases, tmp_path: Path, doc: dict[str, Any]) -> None:
    path = _write(tmp_path, doc)
    assert_validates_or_refuses(path)
    _loads_whole_or_refuses_unchanged(empty.fresh(), path, empty.empty_export, SEED_NOW)


@settings(FUZZ, max_examples=100)
@given(doc=mutated(RECORDS))
def test_a_mutated_record_file_loads_whole_or_is_refused_unchanged(
        seeded: Databases, tmp_path: Path, doc: dict[str, Any]) -> None:
    path = _write(tmp_path, doc, "fuzz.record.yaml")
    assert_validates_or_refuses(path)
    _loads_whole_or_refuses_unchanged(seeded.fresh(), path, seeded.empty_export, RECORD_NOW)


@settings(FUZZ, max_examples=600)
@given(content=st.one_of(st.binary(max_size=300), st.text(max_size=300),
                         st.lists(st.sampled_from(YAML_BITS), max_size=40).map("".join)))
@example(content="announced_at: 2016-02-30\nagreement: {}\ncommitments: []\n")
@example(content="a: !!int abc\n")
@example(content="!!int")  # IndexError inside PyYAML
@example(content="!!timestamp")  # AttributeError inside PyYAML
@example(content="a: !!timestamp 2016-13-45\n")
@example(content=b"\xff\xfe\x00garbage")
@example(content="\x08")  # a control character: libyaml's error spanned two lines
@example(content="*a " * 101 + "[")  # the alias count parsed, and raised, outside the try
def test_any_bytes_are_a_valid_file_or_a_clean_refusal(tmp_path: Path, content: str | bytes) -> None:
    assert_validates_or_refuses(_write(tmp_path, content))


def _refusal(path: Path) -> str:
    with pytest.raises(SeedError) as caught:
        services.validate([path])
    return str(caught.value)


def test_a_billion_laughs_with_few_aliases_is_refused_quickly_in_one_line(tmp_path: Path) -> None:
    # 90 aliases (under the alias limit) that expand to 10^9 strings if anything walks them.
    lines = ["x-bomb:", '  a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    lines += [f"  a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]" for i in range(1, 10)]
    text = "\n".join(lines) + "\n" + yaml.safe_dump(BASE, sort_keys=False, allow_unicode=True)
    text = text.replace("hold_for: P7D", "hold_for: *a9").replace("- PT24H", "- *a9", 1)
    path = _write(tmp_path, text)
    message = _refusal(path)
    assert "commitments[1].hold_for: a list is not an ISO 8601 duration" in message
    assert "x-bomb: unknown key" in message  # a key with a hyphen is named, not "(top level)"
    assert max(len(line) for line in message.splitlines()) < 500


def test_more_aliases_than_the_limit_are_refused(tmp_path: Path) -> None:
    text = "a: &a [x]\nb: [" + ", ".join(["*a"] * (MAX_ALIASES + 1)) + "]\n"
    assert f"more than {MAX_ALIASES} YAML aliases" in _refusal(_write(tmp_path, text))


@pytest.mark.parametrize("text", ["[" * 100_000, "{a: " * 100_000, "- " * 100_000,
                                  "".join(" " * i + "a:\n" for i in range(3000))])
def test_deep_nesting_is_refused_by_the_depth_limit(tmp_path: Path, text: str) -> None:
    message = _refusal(_write(tmp_path, text))
    assert "nesting depth" in message or "nested too deeply" in message, message[:300]


def test_a_file_over_the_size_limit_is_refused_before_it_is_read(tmp_path: Path) -> None:
    path = _write(tmp_path, "notes: " + "x" * MAX_BYTES)
    assert f"bytes is over the {MAX_BYTES} byte limit" in _refusal(path)


def _chain(n: int, *, cycle: bool) -> dict[str, Any]:
    # c0 waits on c1, c1 on c2, ...: the checks walk it depth-first, 1,500 levels deep.
    from ..factories import seed_dict

    last = ({"slug": f"c{n - 1}", "requires": {"all_of": {"c0": "active"}}} if cycle else
            {"slug": f"c{n - 1}", "starts": "2016-09-12T19:00:00+03:00"})
    return seed_dict(*[{"slug": f"c{i}", "starts": {"after": f"c{i + 1}", "enters": "active"}}
                       for i in range(n - 1)], last)


def test_a_long_dependency_cycle_is_refused_in_one_short_line(tmp_path: Path) -> None:
    message = _refusal(_write(tmp_path, _chain(1500, cycle=True)))  # was a RecursionError
    assert "dependency cycle: c0 -> c1 -> c2" in message and "(1491 more)" in message
    assert len(message) < 500


def test_a_long_dependency_chain_validates(tmp_path: Path) -> None:
    assert "valid seed" in services.validate([_write(tmp_path, _chain(1500, cycle=False))])[0]
