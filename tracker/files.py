"""Files the tracker writes for its owner (exports, backups, reports): private from the first byte.

A planted symlink or a file put where a temporary one will go must not redirect the write: the
data goes into a new file created with O_CREAT|O_EXCL|O_NOFOLLOW and mode 0600 under a random
name in the target's folder, and is moved into place only when complete. An existing target is
replaced only when asked (`--force`), and then the name is replaced, never what a link points to.
"""

from __future__ import annotations

import errno
import os
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

from .domain.errors import DomainError

_FLAGS = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | getattr(os, "O_CLOEXEC", 0)


@contextmanager
def private_file(path: str | Path, *, force: bool = False, field: str = "FILE") -> Iterator[IO[bytes]]:
    """Yield a new 0600 file that becomes `path` when the block ends without an error.

    Refuses an existing `path` unless `force`; on any error nothing is left behind."""
    target = Path(path)
    refuse_existing(target, force=force, field=field)
    temp = target.with_name(f".{target.name[:80]}.{secrets.token_hex(8)}.partial")
    try:
        fd = os.open(temp, _FLAGS, 0o600)
    except OSError as error:
        raise _cannot(target, error, field) from None
    try:
        with os.fdopen(fd, "wb") as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        _move_into_place(temp, target, force=force, field=field)
    except OSError as error:
        temp.unlink(missing_ok=True)
        raise _cannot(target, error, field) from None
    except BaseException:
        temp.unlink(missing_ok=True)
        raise


def write_private(path: str | Path, data: bytes, *, force: bool = False,
                  field: str = "FILE") -> None:
    """Write `data` to `path` as private_file does."""
    with private_file(path, force=force, field=field) as handle:
        handle.write(data)


def refuse_existing(target: Path, *, force: bool, field: str = "FILE") -> None:
    """Refuse a folder always, and any existing name (a link too) unless `force`."""
    if target.is_dir() and not target.is_symlink():
        raise DomainError(f"{field}: cannot write {_shown(target)}: it is a folder; give a file's path")
    if os.path.lexists(target) and not force:
        raise DomainError(f"{field}: cannot write {_shown(target)}: it exists already; add --force to "
                          "replace it, or choose another path")


def _move_into_place(temp: Path, target: Path, *, force: bool, field: str) -> None:
    if force:
        os.replace(temp, target)  # a link at `target` is replaced itself, its target untouched
        return
    try:
        os.link(temp, target, follow_symlinks=False)  # fails if anything appeared meanwhile
    except FileExistsError:
        raise DomainError(f"{field}: cannot write {_shown(target)}: it appeared while writing; add "
                          "--force to replace it") from None
    except OSError as error:
        if error.errno not in (errno.EPERM, errno.ENOTSUP, errno.EXDEV, errno.EMLINK):
            raise
        refuse_existing(target, force=False, field=field)  # a file system without hard links
        os.replace(temp, target)
        return
    temp.unlink()


def _cannot(target: Path, error: OSError, field: str) -> DomainError:
    return DomainError(f"{field}: cannot write {_shown(target)} ({error.strerror or error}); choose a "
                       "writable path with free space")


def _shown(path: Path) -> str:
    """Return a path for a one-line message: control characters (a newline) as escapes."""
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in str(path))
