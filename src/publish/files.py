"""Writing files so that nothing is ever half-written or needlessly touched."""
from __future__ import annotations

import contextlib
import errno
import fcntl
import os
import tempfile
from pathlib import Path
from typing import Callable

from .errors import PublishError

# What the machine, not the input, can make a write fail with: a full disk,
# a quota, a read-only mount, a folder the user may not write.  Each is said in
# one line naming the file (``cannot_write``); nothing half-written is left.
ENVIRONMENT_ERRNOS = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EROFS, errno.EACCES, errno.EPERM,
                                errno.EFBIG, errno.EIO})


def shown(path: str | os.PathLike) -> str:
    """A path as messages show it: relative to the working folder when under it."""
    path = os.path.abspath(path)
    rel = os.path.relpath(path)
    return path if rel.startswith("..") else rel


def cannot_write(exc: OSError, path: str | os.PathLike | None = None) -> PublishError:
    """The one-line error for a write the machine refused."""
    where = path if path is not None else exc.filename
    reason = (exc.strerror or str(exc)).rstrip(".")
    return PublishError(f"cannot write ({reason[:1].lower() + reason[1:]}); files already there are unchanged",
                        path=shown(where) if where else None)


def write_atomic(path: Path, data: str | bytes) -> bool:
    """Write ``data`` to ``path`` through a temporary file in the same folder
    and a rename, so readers (and a killed run) see the old file or the new
    one, never a mix.  Returns False, touching nothing, when the content is
    already there."""
    raw = data.encode("utf-8") if isinstance(data, str) else data
    try:
        if path.read_bytes() == raw:
            return False
    except FileNotFoundError:
        pass
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as exc:
        if exc.errno in ENVIRONMENT_ERRNOS:
            raise cannot_write(exc, path) from None
        raise
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(raw)
            fh.flush()
            os.fsync(fh.fileno())
        if path.exists():
            os.chmod(tmp, path.stat().st_mode & 0o777)
        else:
            os.chmod(tmp, 0o644)
        os.replace(tmp, path)
        _sync_folder(path.parent)
    except BaseException as exc:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        if isinstance(exc, OSError) and exc.errno in ENVIRONMENT_ERRNOS:
            raise cannot_write(exc, path) from None
        raise
    return True


def _sync_folder(folder: Path) -> None:
    """Make the rename itself durable (a power cut, not just a kill)."""
    try:
        fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def remove_stale_temporaries(path: Path) -> list[Path]:
    """Temporary files ``write_atomic`` left next to ``path`` when a run was
    killed before its rename.  Only call this while holding the project lock,
    so no other run can be writing them."""
    removed = []
    for tmp in path.parent.glob(f".{path.name}.*.tmp"):
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
            removed.append(tmp)
    return removed


@contextlib.contextmanager
def project_lock(root: Path, what: str, wait: bool = True, on_wait: Callable[[], None] | None = None):
    """One writer at a time per project: a second ``publish update`` waits
    for the first, calling ``on_wait`` once so the user knows why (or, with
    ``wait=False``, says it is busy)."""
    lock = root / ".publish.lock"
    try:
        fh = open(lock, "a+")
    except OSError as exc:
        if exc.errno in ENVIRONMENT_ERRNOS:
            raise cannot_write(exc, lock) from None
        raise
    with fh:
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            if not wait:
                raise PublishError(f"another publish {what} is running in this project; "
                                   f"try again when it ends") from None
            if on_wait:
                on_wait()
            fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def refuse_outside(path: Path, display: str) -> None:
    """Refuse, by name and before opening it, a file of a project that
    resolves outside the project (the folder above it holding publish.yml):
    git carries symbolic links, and a catalog linked to /etc/passwd was read
    and its first line echoed in the error.  A file of no project is left alone."""
    here = Path(os.path.abspath(path))
    root = next((p for p in here.parents if (p / "publish.yml").is_file()), None)
    if root is None:
        return
    if not here.resolve().is_relative_to(root.resolve()):
        raise PublishError("a symbolic link to a file outside the project: refused, not read", path=display)
