"""Checks across a seed file that one field cannot see: references, duplicates, cycles, parties.

They read the raw document defensively, so they report alongside the field errors."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from .conditions import MAX_DEPTH
from .fields import shown


def seed_problems(doc: dict[str, Any]) -> list[tuple[str, str]]:
    """Return (path, message) for every cross-reference problem in a seed document."""
    commitments = [c for c in _list(doc.get("commitments")) if isinstance(c, dict)]
    slugs = [c.get("slug") for c in commitments]
    known = {s for s in slugs if isinstance(s, str)}
    agreement = doc["agreement"] if isinstance(doc.get("agreement"), dict) else {}
    parties = {p for p in _list(agreement.get("parties")) if isinstance(p, str)}
    problems = list(_duplicates("commitments", slugs))
    problems += _duplicates("scenarios", [s.get("slug") for s in _dicts(doc.get("scenarios"))])
    for i, c in enumerate(commitments):
        here = f"commitments[{i}]"
        problems += _unknown_parties(here, c, parties)
        for path, ref in _references(c):
            if ref == c.get("slug"):
                problems.append((f"{here}.{path}", f"{shown(ref)} refers to itself; name another "
                                 "commitment"))
            elif ref not in known:
                problems.append((f"{here}.{path}", _unknown(ref, known)))
        if c.get("reminders") and not (c.get("due") or c.get("hold_for")):
            problems.append((f"{here}.reminders", "reminders need a deadline; add `due` or "
                             "`hold_for`, or remove the reminders"))
        problems += [(f"{here}.{path}", m) for rule, condition in _conditions(c)
                     for path, m in _too_deep(rule, condition)]
    for i, s in enumerate(_dicts(doc.get("scenarios"))):
        for path, ref in _condition_refs("when", s.get("when")):
            if ref not in known:
                problems.append((f"scenarios[{i}].{path}", _unknown(ref, known)))
        problems += [(f"scenarios[{i}].{path}", m) for path, m in _too_deep("when", s.get("when"))]
    return problems + _cycles(commitments, known)


def _references(c: dict[str, Any]) -> Iterator[tuple[str, Any]]:
    for rule in ("starts", "due", "ends"):
        value = c.get(rule)
        if isinstance(value, dict) and isinstance(value.get("after"), str):
            yield f"{rule}.after", value["after"]
    for rule, condition in _conditions(c):
        yield from _condition_refs(rule, condition)


def _conditions(c: dict[str, Any]) -> Iterator[tuple[str, Any]]:
    """Yield each condition of a commitment's rules with its path."""
    yield "requires", c.get("requires")
    if isinstance(c.get("ends"), dict) and "after" not in c["ends"]:
        yield "ends", c["ends"]


def _parts(path: str, condition: Any) -> Iterator[tuple[str, Any]]:
    """Yield the conditions directly inside `condition` (a mapping-form term is a leaf)."""
    if not isinstance(condition, dict):
        return
    for mode in ("all_of", "any_of"):
        parts = condition.get(mode)
        if isinstance(parts, list):
            yield from ((f"{path}.{mode}[{i}]", part) for i, part in enumerate(parts))
    if "not" in condition:
        yield f"{path}.not", condition["not"]


def _condition_refs(path: str, condition: Any) -> Iterator[tuple[str, Any]]:
    """Yield every commitment a condition names, with its path; an iterative walk (the depth is
    checked on its own, and a deep document must not hit Python's recursion limit)."""
    todo = [(path, condition)]
    while todo:
        here, node = todo.pop()
        if not isinstance(node, dict):
            continue  # not a condition: the schema says so
        if isinstance(node.get("commitment"), str):
            yield f"{here}.commitment", node["commitment"]
        for mode in ("all_of", "any_of"):
            terms = node.get(mode)
            if isinstance(terms, dict):
                for ref in terms:
                    if isinstance(ref, str):  # any other key is the schema's to refuse
                        yield f"{here}.{mode}.{ref}", ref
        todo.extend(reversed(list(_parts(here, node))))


def _too_deep(path: str, condition: Any) -> list[tuple[str, str]]:
    """Return where a condition nests more than MAX_DEPTH levels of all_of, any_of and not."""
    out = []
    todo = [(path, condition, 0)]
    while todo:
        here, node, level = todo.pop()
        if not isinstance(node, dict) or not _KINDS & set(node):
            continue
        if level == MAX_DEPTH:
            out.append((here, f"nested deeper than {MAX_DEPTH} levels of all_of, any_of and "
                        "not; say it more simply, e.g. list the leaves of nested all_of "
                        "under one all_of"))
            continue
        todo.extend((p, part, level + 1) for p, part in _parts(here, node))
    return out


_KINDS = {"all_of", "any_of", "not"}


def _unknown_parties(here: str, c: dict[str, Any], parties: set[str]) -> list[tuple[str, str]]:
    out = []
    for key in ("owed_by", "owed_to"):
        for j, party in enumerate(_list(c.get(key))):
            if isinstance(party, str) and parties and party not in parties:
                out.append((f"{here}.{key}[{j}]", f"{shown(party)} is not a party of the agreement; "
                            f"use one of {', '.join(sorted(parties))} or add it to "
                            "agreement.parties"))
    return out


def _cycles(commitments: list[dict[str, Any]], known: set[str]) -> list[tuple[str, str]]:
    graph = {c["slug"]: {r for _, r in _references(c) if r in known}
             for c in commitments if isinstance(c.get("slug"), str)}
    state: dict[Any, int] = {}  # 1 = on the path, 2 = done
    problems: list[tuple[str, str]] = []
    # Depth-first with an explicit stack: a chain of thousands of rules must not hit Python's
    # recursion limit.
    for root in graph:
        if root in state:
            continue
        path, stack = [root], [iter(sorted(graph[root], key=str))]
        state[root] = 1
        while stack:
            nxt = next(stack[-1], None)
            if nxt is None:
                state[path.pop()] = 2
                stack.pop()
            elif state.get(nxt) == 1:
                problems.append(("commitments", _cycle(path[path.index(nxt):] + [nxt])))
            elif nxt not in state:
                state[nxt] = 1
                path.append(nxt)
                stack.append(iter(sorted(graph.get(nxt, ()), key=str)))
    return problems


def _cycle(loop: list[str]) -> str:
    shown_loop = loop if len(loop) <= 12 else [*loop[:5], f"... ({len(loop) - 10} more)", *loop[-5:]]
    return ("dependency cycle: " + " -> ".join(shown_loop)
            + "; a commitment cannot wait on itself, remove one rule")


def _duplicates(where: str, slugs: list[Any]) -> Iterator[tuple[str, str]]:
    seen: set[Any] = set()
    for i, slug in enumerate(slugs):
        if not isinstance(slug, str):  # not a slug at all: the schema says so
            continue
        if slug in seen:
            yield f"{where}[{i}].slug", f"{shown(slug)} is used twice; give each a unique slug"
        seen.add(slug)


def _unknown(ref: Any, known: set[str]) -> str:
    return f"{shown(ref)} is not a commitment of this agreement; use one of {', '.join(sorted(known))}"


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _dicts(value: Any) -> list[dict[str, Any]]:
    return [v for v in _list(value) if isinstance(v, dict)]
