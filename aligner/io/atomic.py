"""Write files so that a reader sees the old content or the new, never half of either.

Each file is written to a temporary file in the target's own directory (``os.replace`` is
atomic only within one file system), flushed to disk, then renamed over the target. If
anything fails before the rename, the temporary files are removed and every target is left
as it was.
"""

from __future__ import annotations

import contextlib
import errno
import os
import secrets
from collections.abc import Mapping
from pathlib import Path

from aligner.errors import AlignerError


class OutputError(AlignerError):
    """An output file could not be written (missing directory, no permission, disk full)."""


def atomic_write(path: str | Path, data: bytes | str) -> Path:
    """Write ``data`` (``str`` as UTF-8) to ``path`` atomically; returns the path.

    Raises OutputError naming the path, with a hint, when it cannot be written.
    """
    return atomic_write_many({Path(path): data})[0]


def atomic_write_many(files: Mapping[Path, bytes | str]) -> list[Path]:
    """Write several files, each atomically, all or nothing up to the renames.

    Every file is written and synced before the first rename, so a failure while writing
    (disk full, no permission) leaves all targets untouched. The renames themselves cannot
    be made atomic as a group; each one is.
    """
    targets = [Path(path) for path in files]
    staged: list[tuple[Path, Path]] = []  # (temporary, target)
    try:
        for target, data in zip(targets, files.values(), strict=True):
            staged.append((_stage(target, data), target))
        for temporary, target in staged:
            try:
                os.replace(temporary, _real_target(target))
            except OSError as err:
                raise _output_error(target, err) from err
    finally:
        for temporary, _ in staged:
            with contextlib.suppress(FileNotFoundError):
                temporary.unlink()
    for directory in {_real_target(t).parent for t in targets}:
        _sync_directory(directory)
    return targets


def _real_target(target: Path) -> Path:
    # Writing through a symlink should update the file it points to, not replace the link.
    return target.resolve() if target.is_symlink() else target


def _stage(target: Path, data: bytes | str) -> Path:
    """Write ``data`` to a new temporary file beside ``target``; returns its path."""
    payload = data.encode("utf-8") if isinstance(data, str) else data
    real = _real_target(target)
    if real.is_dir():
        raise OutputError("is a directory", where=str(target),
                          hint="give a file name, e.g. -o out.tsv")
    fd, temporary = _create_temporary(target, real)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(payload)
            handle.flush()
            os.fsync(handle.fileno())
        _copy_mode(real, temporary)
    except OSError as err:
        with contextlib.suppress(FileNotFoundError):
            temporary.unlink()
        raise _output_error(target, err) from err
    return temporary


def _create_temporary(target: Path, real: Path) -> tuple[int, Path]:
    # os.open with mode 0o666 lets the umask decide the permissions, as for any new file
    # (tempfile.mkstemp would force 0o600 on the result).
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
    for _ in range(100):
        temporary = real.with_name(f".{real.name}.{secrets.token_hex(4)}.tmp")
        try:
            return os.open(temporary, flags, 0o666), temporary
        except FileExistsError:
            continue
        except OSError as err:
            raise _output_error(target, err) from err
    raise OutputError("cannot create a temporary file beside it", where=str(target),
                      hint="clean up stale .*.tmp files in that directory")


def _copy_mode(real: Path, temporary: Path) -> None:
    """Keep the permissions of a file being replaced."""
    try:
        mode = real.stat().st_mode
    except FileNotFoundError:
        return
    os.chmod(temporary, mode & 0o7777)


def _sync_directory(directory: Path) -> None:
    """Make the renames durable (POSIX); best effort, where directories can be opened."""
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _output_error(target: Path, err: OSError) -> OutputError:
    parent = target.parent if str(target.parent) else Path(".")
    if isinstance(err, FileNotFoundError) or not parent.exists():
        return OutputError(f"directory {str(parent)!r} does not exist", where=str(target),
                           hint="create it first or choose another output path")
    if isinstance(err, PermissionError):
        return OutputError("permission denied", where=str(target),
                           hint="choose a writable output path")
    if err.errno == errno.ENOSPC:
        return OutputError("no space left on device", where=str(target),
                           hint="free some space or write elsewhere")
    return OutputError(f"cannot write file: {err.strerror or err}", where=str(target),
                       hint="choose another output path")
