"""The project documents itself: the README points into the project, and docs/format.md names
every field the seed and record formats accept (so a new field cannot go undocumented)."""

from __future__ import annotations

import re
from pathlib import Path

from pydantic import BaseModel

from tracker.seeds import conditions, schema

ROOT = Path(__file__).resolve().parents[2]


def test_the_readme_links_the_docs_and_nothing_outside_the_project() -> None:
    readme = (ROOT / "README.md").read_text()
    assert "../shared" not in readme and "DESIGN.md" not in readme
    for doc in ("docs/format.md", "docs/semantics.md"):
        assert f"]({doc})" in readme
        assert (ROOT / doc).exists()


def test_every_field_of_the_formats_is_in_format_md() -> None:
    text = (ROOT / "docs" / "format.md").read_text()
    models = [m for module in (schema, conditions) for m in vars(module).values()
              if isinstance(m, type) and issubclass(m, BaseModel) and m.__module__ == module.__name__]
    keys = {f"{m.__name__}.{info.alias or name}" for m in models
            for name, info in m.model_fields.items()}
    missing = sorted(k for k in keys if not re.search(rf"\b{re.escape(k.split('.')[1])}\b", text))
    assert missing == []


def test_semantics_md_has_a_section_for_each_subject() -> None:
    headings = re.findall(r"^## (.+)$", (ROOT / "docs" / "semantics.md").read_text(), re.M)
    for subject in ("transitions", "Conditions", "clock", "Late records", "Alerts", "scoring"):
        assert any(subject.lower() in h.lower() for h in headings), subject
