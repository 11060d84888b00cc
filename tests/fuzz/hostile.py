"""What the fuzz tests share: hostile values, fresh databases, and the refusal checks."""

from __future__ import annotations

import shutil
from datetime import UTC, timedelta, timezone
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

from tracker.store.db import dispose_all
from tracker.store.migrate import upgrade

from ..conftest import Cli

# Reproducible in CI: the same examples every run, nothing remembered between runs.
FUZZ = settings(deadline=None, derandomize=True, database=None, print_blob=True,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture,
                                       HealthCheck.data_too_large])

ODD_TEXT = [
    "", " ", "\t\n", "\x00", "a\x00b", "\x1b[31mred", "\r", "\u202eevil", "\ufeff", "😀", "é" * 3,
    "nan", "inf", "-inf", "-0", "0", "1e309", "-1e309", "1e-400", "0x10", "1_0", "  0.5  ",
    "true", "null", "~", "[]", "{}", "- a", "a: b", "'", '"', "\\", "%s", "{0}", "$(id)", "--help",
    "<script>window.__pwned=1</script>", "[x](javascript:alert(1))",
    "P", "PT", "P0D", "PT0S", "-P1D", "P1Y", "P1M", "P7DT", "p7d", "PT1.5S", "P99999999999D",
    "P36501D", "P" + "9" * 400 + "D", "PT" + "9" * 30 + "S",
    "2016-09-12", "2016-09-12T19:00:00", "2016-09-12T19:00", "2016-09-12T19:00:00+03:00",
    "2016-09-12T19:00:00Z", "2016-09-12T19:00:00+25:00", "2016-02-30T00:00:00Z",
    "9999-12-31T23:59:59Z", "9999-12-31T23:59:59-05:00", "0001-01-01T00:00:00+14:00",
    "0001-01-01T00:00:00Z", "2016-W37-1T00:00:00Z", "20160912T190000Z", "yesterday",
    "pending", "active", "breached", "fulfilled", "finished", "Active", "seven-day-calm",
    "cessation-of-hostilities", "nope", "a" * 101, "-x", "X", "http://", "javascript:alert(1)",
    "https://example.org/" + "a" * 2100, "x" * 20_001, "Asia/Damascus", "Mars/Olympus",
    "../../etc/passwd", "A", "G", "7",
]

scalars = st.one_of(
    st.sampled_from(ODD_TEXT),
    st.text(max_size=30),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(),
    st.booleans(),
    st.none(),
    st.dates(),
    st.datetimes(timezones=st.sampled_from([None, UTC, timezone(timedelta(hours=14))])),
)
values = st.one_of(scalars, st.lists(scalars, max_size=3),
                   st.dictionaries(st.text(max_size=8), scalars, max_size=3))


class Databases:
    """Hand out fresh copies of one prepared SQLite database: each example starts the same."""

    def __init__(self, folder: Path, prepare: Any = None) -> None:
        self.folder = folder
        self.template = folder / "template.db"
        upgrade(self.url(self.template))
        if prepare is not None:
            prepare(Cli(self.url(self.template)))
        dispose_all()  # close the template before copying it (WAL checkpointed on close)
        self.count = 0
        self.empty_export = self.fresh().export()

    @staticmethod
    def url(path: Path) -> str:
        return f"sqlite:///{path}"

    def fresh(self) -> Cli:
        dispose_all()
        self.count += 1
        copy = self.folder / f"db-{self.count}.db"
        shutil.copyfile(self.template, copy)
        previous = self.folder / f"db-{self.count - 1}.db"
        if previous.exists() and previous != self.template:
            for suffix in ("", "-wal", "-shm"):
                Path(f"{previous}{suffix}").unlink(missing_ok=True)
        return Cli(self.url(copy))


def assert_clean(result: Any, *, names: str | None = None, max_line: int | None = 1500) -> None:
    """Check a CLI result: success, or a refusal of one line per problem; never a traceback."""
    out = str(result.stdout) + str(result.stderr)
    assert result.exception is None or isinstance(result.exception, SystemExit), (
        f"uncaught {type(result.exception).__name__}: {result.exception!r}\n{out[:3000]}")
    assert "Traceback" not in out, out[:3000]
    assert result.exit_code in (0, 1, 2), (result.exit_code, out[:3000])
    if result.exit_code == 1:
        lines = str(result.stderr).splitlines()
        assert lines, "a refusal must say why"
        for line in lines:
            assert line.startswith("error: "), lines[:5]
            if max_line is not None:
                assert len(line) <= max_line, f"an unreadable {len(line)}-character line: {line[:300]}"
            if names is not None:
                assert names in line, (names, line[:300])
    if result.exit_code == 2:
        assert str(result.stderr).strip(), "a usage error must say why"
