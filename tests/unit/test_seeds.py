"""Seed and record files: the shipped ones validate; every bad one is refused with file, path
and fix, all problems in one report."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml

from tracker.seeds import SeedError, read_document, read_documents
from tracker.seeds.reader import MAX_BYTES

from ..factories import seed_dict

SEEDS = Path(__file__).resolve().parents[2] / "seeds"


def write(tmp_path: Path, doc: object, name: str = "seed.yaml") -> Path:
    path = tmp_path / name
    path.write_text(yaml.safe_dump(doc, sort_keys=False) if not isinstance(doc, str) else doc)
    return path


def problems(path: Path) -> list[str]:
    with pytest.raises(SeedError) as caught:
        read_document(path)
    return caught.value.problems


def test_every_shipped_seed_and_record_file_validates() -> None:
    files = sorted(SEEDS.glob("*.yaml"))
    assert len(files) >= 4
    read_documents(files)


def test_syria_seed_has_the_agreed_slugs() -> None:
    doc = read_document(SEEDS / "us-russia-syria-2016.yaml")
    assert [c.slug for c in doc.commitments] == [  # type: ignore[union-attr]
        "cessation-of-hostilities", "seven-day-calm", "humanitarian-access",
        "regime-restraint-in-opposition-areas", "joint-implementation-center", "joint-targeting",
        "target-list-sharing-only", "air-safety-mou"]
    assert {s.slug for s in doc.scenarios} == {"cooperation-begins", "truce-collapses"}  # type: ignore[union-attr]


def test_all_problems_come_in_one_report_naming_file_and_path(tmp_path: Path) -> None:
    doc = seed_dict(
        {"slug": "a", "colour": "red"},
        {"slug": "b", "starts": {"after": "nowhere", "enters": "active"}},
        {"slug": "a"},
        {"slug": "c", "hold_for": "seven days"},
        {"slug": "d", "due": "2016-09-20T10:00:00"},
    )
    path = write(tmp_path, doc)
    found = problems(path)
    text = "\n".join(found)
    assert all(re.match(rf"{re.escape(str(path))}:\d+: ", p) for p in found)
    assert "commitments[0].colour: unknown key" in text
    assert "commitments[1].starts.after: 'nowhere' is not a commitment" in text
    assert "commitments[2].slug: 'a' is used twice" in text
    assert "commitments[3].hold_for" in text and "P7D" in text
    assert "commitments[4].due" in text and "has no time zone; add an offset or Z" in text


def test_dependency_cycle_is_refused_with_the_loop(tmp_path: Path) -> None:
    doc = seed_dict({"slug": "a", "requires": {"all_of": {"b": "active"}}},
                    {"slug": "b", "starts": {"after": "a", "enters": "fulfilled"}})
    assert any("dependency cycle: a -> b -> a" in p for p in problems(write(tmp_path, doc)))


@pytest.mark.parametrize(("change", "expected"), [
    ({"timezone": "Mars/Olympus"}, "agreement.timezone: 'Mars/Olympus' is not an IANA time zone"),
    ({"announced_at": "2016-09-09"}, "agreement.announced_at"),
    ({"parties": []}, "agreement.parties"),
])
def test_bad_agreement_fields(tmp_path: Path, change: dict[str, object], expected: str) -> None:
    doc = seed_dict({"slug": "a"})
    doc["agreement"].update(change)
    assert any(expected in p for p in problems(write(tmp_path, doc)))


@pytest.mark.parametrize(("commitment", "expected"), [
    ({"slug": "x", "due": {"after_start": "P1M"}}, "months and years are not exact"),
    ({"slug": "x", "starts": {"after": "x", "enters": "active"}}, "refers to itself"),
    ({"slug": "x", "requires": {"all_of": {}}}, "names no commitment"),
    ({"slug": "x", "requires": {"all_of": {"y": "active"}, "any_of": {"y": "active"}}},
     "exactly one of all_of or any_of"),
    ({"slug": "x", "starts": {"after": "y", "enters": "done"}}, "'done' is not a state"),
    ({"slug": "x", "owed_by": ["martians"]}, "'martians' is not a party"),
    ({"slug": "x", "reminders": ["PT24H"]}, "reminders need a deadline"),
    ({"slug": "Bad Slug"}, "commitments[0].slug"),
])
def test_bad_commitment_rules(tmp_path: Path, commitment: dict[str, object], expected: str) -> None:
    doc = seed_dict(commitment, {"slug": "y"})
    assert any(expected in p for p in problems(write(tmp_path, doc)))


def test_scenario_naming_an_unknown_commitment_is_refused(tmp_path: Path) -> None:
    doc = seed_dict({"slug": "a"}, scenarios=[{"slug": "s", "title": "t",
                                                "when": {"any_of": {"zzz": "breached"}}}])
    assert any("scenarios[0].when.any_of.zzz" in p for p in problems(write(tmp_path, doc)))


@pytest.mark.parametrize(("text", "expected"), [
    ("agreement: [unclosed", "not valid YAML"),
    ("- just\n- a list\n", "neither a seed file"),
    ("", "neither a seed file"),
])
def test_unreadable_files(tmp_path: Path, text: str, expected: str) -> None:
    assert any(expected in p for p in problems(write(tmp_path, text)))


def test_missing_file_names_the_path(tmp_path: Path) -> None:
    assert "cannot be read" in problems(tmp_path / "nope.yaml")[0]


def test_yaml_bomb_and_huge_file_are_refused_by_limits(tmp_path: Path) -> None:
    bomb = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [" + ", ".join([f"*{chr(97 + i)}"] * 9) + "]\n"
        for i in range(12))
    assert "aliases" in problems(write(tmp_path, bomb))[0]
    huge = tmp_path / "huge.yaml"
    huge.write_text("#" * (MAX_BYTES + 1))
    assert "byte limit" in problems(huge)[0]


def test_record_file_shape_errors(tmp_path: Path) -> None:
    doc = {"agreement": "x", "records": [
        {"commitment": "a", "kind": "rumour", "occurred_at": "2016-09-12T10:00:00Z", "by": "me"},
        {"commitment": "a", "kind": "observation", "occurred_at": "2016-09-12T10:00:00",
         "by": "me", "summary": "s", "confidence": 1.5,
         "sources": [{"url": "http://x", "reliability": "G", "credibility": 7}]},
    ]}
    text = "\n".join(problems(write(tmp_path, doc)))
    assert "records[0].kind" in text
    assert "records[1].occurred_at" in text and "no time zone" in text
    assert "records[1].confidence" in text
    assert "records[1].sources[0].reliability" in text
    assert "records[1].sources[0].credibility" in text


def test_errors_give_the_line_of_the_value_in_the_file(tmp_path: Path) -> None:
    text = """agreement: x
records:
  - commitment: a
    kind: observation
    occurred_at: "2016-09-12T10:00:00Z"
    by: me
    summary: s
  - commitment: a
    kind: observation
    occurred_at: "2016-09-12T10:00:00Z"
    summary: s
    confidence: 2
"""
    path = write(tmp_path, text, "records.yaml")
    found = problems(path)
    assert f"{path}:12: records[1].confidence: 2 is outside 0..1" in "\n".join(found)
    assert any(p.startswith(f"{path}:8: records[1].by: required") for p in found)  # its mapping


def test_source_grades_are_refused_in_admiralty_words(tmp_path: Path) -> None:
    doc = {"agreement": "x", "records": [
        {"commitment": "a", "kind": "observation", "occurred_at": "2016-09-12T10:00:00Z",
         "by": "me", "summary": "s",
         "sources": [{"url": "http://x", "reliability": "G", "credibility": 7}]}]}
    text = "\n".join(problems(write(tmp_path, doc)))
    assert "credibility: 7 is not on the Admiralty scale 1-6; give 1 (confirmed)" in text
    assert "reliability: 'G' is not on the Admiralty scale A-F" in text
    assert "Input should be" not in text


@pytest.mark.parametrize("name, text, where", [
    ("seed.yaml", """agreement: {slug: x, title: X, timezone: UTC, parties: [a],
  announced_at: "2020-01-01T00:00:00Z"}
commitments:
  - {slug: c, title: C, owed_by: [a]}
scenarios:
  - slug: s
    title: S
    when: {any_of: {c: withdrawn, c: breached}}
""", ":8: scenarios[0].when.any_of.c: the key 'c' is written twice"),
    ("records.yaml", """agreement: x
records:
  - commitment: a
    kind: observation
    occurred_at: "2016-09-12T10:00:00Z"
    by: me
    summary: s
    by: you
""", ":8: records[0].by: the key 'by' is written twice"),
])
def test_duplicate_keys_are_refused_with_file_line_and_key(tmp_path: Path, name: str, text: str,
                                                           where: str) -> None:
    path = write(tmp_path, text, name)
    assert any(p.startswith(f"{path}{where}") for p in problems(path))


def test_the_older_mapping_form_is_the_list_of_leaves_it_names(tmp_path: Path) -> None:
    def stored(requires: object) -> object:
        doc = seed_dict({"slug": "a"}, {"slug": "b"}, {"slug": "c", "requires": requires})
        seed = read_document(write(tmp_path, doc))
        return seed.model_dump(mode="json")["commitments"][2]["requires"]  # type: ignore[union-attr]

    leaves = {"all_of": [{"commitment": "a", "enters": "fulfilled"},
                         {"commitment": "b", "enters": "active"}]}
    assert stored({"all_of": {"a": "fulfilled", "b": "active"}}) == leaves
    assert stored(leaves) == leaves
    assert stored({"all_of": [{"commitment": "a", "enters": ["fulfilled"]},
                              {"commitment": "b", "enters": "active"}]}) == leaves


@pytest.mark.parametrize(("when", "expected"), [
    ({"not": {"commitment": "zzz", "enters": "active"}},
     "scenarios[0].when.not.commitment: 'zzz' is not a commitment"),
    ({"any_of": [{"commitment": "a", "enters": "active"}, {"commitment": "a", "enters": ["bogus"]}]},
     "scenarios[0].when.any_of[1].enters[0]: 'bogus' is not a state"),
    ({"commitment": "a", "enters": "breached", "by": "2016-09-19T19:00:00"},
     "scenarios[0].when.by: 2016-09-19T19:00:00 has no time zone; add an offset or Z, e.g. "
     "2016-09-19T19:00:00+03:00"),
    ({"all_of": []}, "scenarios[0].when.all_of: names no commitment"),
    ({"commitment": "a", "enters": ["active", "active"]},
     "scenarios[0].when.enters: names a state twice"),
    ({"commitment": "a", "enters": []}, "scenarios[0].when.enters: names no state"),
    ({"any_of": {"a": "breached"}, "not": {"commitment": "a", "enters": "active"}},
     "scenarios[0].when: any_of and not in one mapping"),
    ("a", "scenarios[0].when: 'a' is not a condition"),
])
def test_bad_conditions_name_the_path_into_them(tmp_path: Path, when: object, expected: str) -> None:
    doc = seed_dict({"slug": "a"}, scenarios=[{"slug": "s", "title": "t", "when": when}])
    found = problems(write(tmp_path, doc))
    assert any(expected in p for p in found), found


def test_conditions_nest_eight_levels_and_no_more(tmp_path: Path) -> None:
    def nested(levels: int) -> dict[str, object]:
        condition: dict[str, object] = {"commitment": "a", "enters": "active"}
        for i in range(levels):
            condition = {"not": condition} if i % 2 else {"all_of": [condition]}
        return condition

    ok = seed_dict({"slug": "a"}, {"slug": "b", "requires": nested(8)})
    read_document(write(tmp_path, ok))
    deep = seed_dict({"slug": "a"}, {"slug": "b", "requires": nested(9)})
    [problem] = problems(write(tmp_path, deep))
    assert "commitments[1].requires.all_of[0].not.all_of[0].not.all_of[0].not.all_of[0].not: " \
           "nested deeper than 8 levels" in problem
    # A document far deeper than any condition still gets the same one clear message.
    bomb = seed_dict({"slug": "a"}, {"slug": "b", "requires": nested(300)})
    (tmp_path / "bomb.yaml").write_text(json.dumps(bomb))  # JSON is YAML, and dumps it flat
    [problem] = problems(tmp_path / "bomb.yaml")
    assert "nested deeper than 8 levels" in problem
