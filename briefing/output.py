"""Writing documents so that a reader never picks up half of one.

Each document is written to a temporary file in the output folder, flushed to disk, and
renamed over the final name in one step. A failure (or Ctrl-C) removes the temporary file and
leaves the previous document untouched.
"""

from __future__ import annotations

import errno
import os
import tempfile
from pathlib import Path

from .errors import OutputError


def write_atomic(path: Path, data: bytes) -> None:
    """Replace `path` with `data` atomically; raise OutputError naming `path` on failure."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
    except OSError as error:
        raise OutputError(path, _describe(error, path)) from None
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, 0o644)
        os.replace(temporary, path)
    except BaseException as error:
        try:
            os.unlink(temporary)
        except OSError:
            pass
        if isinstance(error, OSError):
            raise OutputError(path, _describe(error, path)) from None
        raise


def check_folder(folder: Path) -> None:
    """Make sure documents can be written into `folder` before any work is done."""
    if folder.exists() and not folder.is_dir():
        raise OutputError(folder, "is not a folder")
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise OutputError(folder, f"cannot create the folder: {error.strerror or error}") from None
    if not os.access(folder, os.W_OK | os.X_OK):
        raise OutputError(folder, "permission denied: the folder is read-only")


def _describe(error: OSError, path: Path) -> str:
    kept = "the previous document is unchanged" if path.exists() else "nothing was written"
    if error.errno == errno.ENOSPC:
        return f"no space left on the device; {kept}"
    if error.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return f"permission denied (the folder is read-only?); {kept}"
    return f"{error.strerror or error}; {kept}"
