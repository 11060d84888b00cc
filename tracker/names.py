"""User names that read as what they are: NFKC-normalised, without invisible or text-direction
characters, and never confusable with a name already taken (Unicode TR39 skeletons).

`skeleton` follows UTS #39, section 4: NFD, drop default-ignorable code points, replace each
character by its prototype from Unicode's confusables data (tracker/data/confusables.txt), NFD
again. Two names are confusable when the skeletons of their case folds are equal, so "аnn"
(Cyrillic а) is "ann", and "ANN" is "ann" too.

>>> skeleton("\\u0430nn") == skeleton("ann")
True
>>> confusable("bob", ["b\\u03bfb", "ann"])
'bοb'
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

from .domain.errors import DomainError

DATA = Path(__file__).resolve().parent / "data" / "confusables.txt"
MAX_NAME = 100
# Default_Ignorable_Code_Point (DerivedCoreProperties.txt): drawn as nothing at all.
_IGNORABLE = ((0x00AD, 0x00AD), (0x034F, 0x034F), (0x061C, 0x061C), (0x115F, 0x1160),
              (0x17B4, 0x17B5), (0x180B, 0x180F), (0x200B, 0x200F), (0x202A, 0x202E),
              (0x2060, 0x206F), (0x3164, 0x3164), (0xFE00, 0xFE0F), (0xFEFF, 0xFEFF),
              (0xFFA0, 0xFFA0), (0xFFF0, 0xFFF8), (0x1BCA0, 0x1BCA3), (0x1D173, 0x1D17A),
              (0xE0000, 0xE0FFF))
_BIDI = {"\u061c", "\u200e", "\u200f", *map(chr, range(0x202A, 0x202F)),
         *map(chr, range(0x2066, 0x206A))}


def ignorable(char: str) -> bool:
    code = ord(char)
    return any(low <= code <= high for low, high in _IGNORABLE)


def refuse_hidden(text: str, *, field: str) -> None:
    """Refuse control, format (invisible), text-direction, private-use and unassigned
    characters, naming the first one found; nothing is queried or stored before this."""
    for char in text:
        why = _hidden(char)
        if why:
            name = unicodedata.name(char, "unnamed")
            raise DomainError(f"{field}: {text!r} holds {why} (U+{ord(char):04X} {name}); type "
                              "it without")


def _hidden(char: str) -> str:
    if char in _BIDI:
        return "a text-direction control, which can make a name read as another"
    category = unicodedata.category(char)
    if category == "Cc":
        return "a control character"
    if category == "Cf" or ignorable(char):
        return "an invisible character"
    if category in ("Co", "Cn", "Cs"):
        return "a character with no agreed look (private, unassigned or broken)"
    return ""


def normalise_name(raw: str, *, field: str = "NAME") -> str:
    """Return a user name in NFKC form, refusing what would hide or disguise it."""
    name = unicodedata.normalize("NFKC", raw)
    refuse_hidden(name, field=field)
    name = name.strip()
    if not name or len(name) > MAX_NAME or any(c.isspace() for c in name):
        raise DomainError(f"{field}: {name!r} is not a user name; give 1-{MAX_NAME} characters, "
                          "no spaces")
    if unicodedata.category(name[0]).startswith("M"):
        raise DomainError(f"{field}: {name!r} starts with a combining mark; start with a letter")
    return name


def skeleton(text: str) -> str:
    """Return the TR39 skeleton of `text`: equal skeletons look alike on screen."""
    table = _prototypes()
    decomposed = unicodedata.normalize("NFD", text)
    mapped = "".join(table.get(c, c) for c in decomposed if not ignorable(c))
    return unicodedata.normalize("NFD", mapped)


def confusable(name: str, taken: Iterable[str]) -> str | None:
    """Return the first name in `taken` that `name` could be mistaken for, else None."""
    key = _key(name)
    return next((other for other in taken if _key(other) == key), None)


def _key(name: str) -> str:
    return skeleton(unicodedata.normalize("NFKC", name).casefold())


@lru_cache(maxsize=1)
def _prototypes() -> dict[str, str]:
    """Return confusables.txt as {source character: prototype string}."""
    table: dict[str, str] = {}
    for line in DATA.read_text(encoding="utf-8").splitlines():
        if not line or line.startswith("#"):
            continue
        source, target = line.split(";")
        table[chr(int(source, 16))] = "".join(chr(int(c, 16)) for c in target.split())
    return table
