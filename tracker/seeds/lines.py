"""Where each value of a YAML file is: a map from a path (`records[2].commitment`) to its line,
and the duplicate keys YAML itself would silently resolve to the last one."""

from __future__ import annotations

from dataclasses import dataclass, field

import yaml

from .fields import shown


@dataclass
class Lines:
    """The 1-based line of every path of one document, and its duplicate keys."""

    at: dict[str, int] = field(default_factory=dict)
    duplicates: list[tuple[int, str, str]] = field(default_factory=list)  # line, path, key

    def line_of(self, path: str) -> int | None:
        """Return the line of `path`, or of its nearest written ancestor (a missing key's
        mapping).

        >>> lines = Lines({"": 1, "records": 2, "records[0]": 3, "records[0].by": 4})
        >>> lines.line_of("records[0].by"), lines.line_of("records[0].state")
        (4, 3)
        """
        while True:
            if path in self.at:
                return self.at[path]
            if not path:
                return None
            path = _parent(path)

    def under(self, prefix: str) -> Lines:
        """Return these lines as the lines of the same values placed at `prefix` in a larger
        document (a scenario file's `when.all_of[0]` is a definition's `scenarios[2].when...`).

        >>> Lines({"": 1, "when": 2, "when.not": 3}).under("scenarios[2]").line_of("scenarios[2].when.not")
        3
        """
        def moved(path: str) -> str:
            return prefix + (path if not path or path.startswith("[") else f".{path}")
        return Lines({moved(p): line for p, line in self.at.items()},
                     [(line, moved(where), key) for line, where, key in self.duplicates])


def map_lines(root: yaml.Node | None) -> Lines:
    """Return the lines of every path under `root` and its duplicate keys, visiting each node
    once (an alias names a node already visited, so an alias bomb costs nothing here)."""
    lines = Lines()
    seen: set[int] = set()
    stack: list[tuple[str, yaml.Node, int]] = [("", root, 0)] if root is not None else []
    while stack:
        path, node, key_line = stack.pop()
        lines.at.setdefault(path, key_line or node.start_mark.line + 1)
        if id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, yaml.MappingNode):
            stack.extend(_mapping(path, node, lines))
        elif isinstance(node, yaml.SequenceNode):
            stack.extend((f"{path}[{i}]", item, 0) for i, item in enumerate(node.value))
    return lines


def _mapping(path: str, node: yaml.MappingNode,
             lines: Lines) -> list[tuple[str, yaml.Node, int]]:
    out: list[tuple[str, yaml.Node, int]] = []
    keys: set[str] = set()
    for key, value in node.value:
        if not isinstance(key, yaml.ScalarNode) or key.tag.endswith(":merge"):
            continue  # a complex key or a merge (`<<`): the schema refuses or expands it
        line = key.start_mark.line + 1
        if key.value in keys:
            lines.duplicates.append((line, path, key.value))
        keys.add(key.value)
        out.append((f"{path}.{key.value}" if path else key.value, value, line))
    return out


def duplicate_message(key: str) -> str:
    """Return why a key written twice in one mapping is refused."""
    return (f"the key {shown(key)} is written twice in one mapping; YAML would keep only the "
            "last one, so remove or rename one of them")


def _parent(path: str) -> str:
    cut = max(path.rfind("."), path.rfind("["))
    return path[:cut] if cut > 0 else ""
