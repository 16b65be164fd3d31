"""Writing the documents and their manifest so that a reader never sees a mixed or half set.

The out folder holds one *set*: the documents of one briefing and the manifest that describes
them. A set is written whole into a fresh version folder, ``out/.briefing/v-…/``, and made
current by one rename of the link ``out/.briefing/current``; the names a reader uses
(``out/briefing.pdf``, ``out/manifest.json``…) are links through ``current``. So whatever
happens — a failure, Ctrl-C, SIGTERM, SIGKILL, a power cut after the rename — the folder shows
either the whole old set or the whole new one, manifest included. Leftovers of an interrupted
run (an unfinished version folder, links of names no longer in the set) are hidden or
dangling, and the next run removes them.

One writer at a time: a run holds ``out/.briefing/lock`` (flock, released by the kernel on any
exit) while it publishes; a second run waits up to `LOCK_WAIT` seconds, then fails in one line.
On a file system without symbolic links (FAT, some network shares) each document is replaced
atomically on its own, the manifest last.
"""

from __future__ import annotations

import errno
import fcntl
import hashlib
import json
import os
import re
import shutil
import stat
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from .errors import OutputError

STATE = ".briefing"
"""The hidden folder inside the out folder: the lock, the version folders and ``current``."""
MANIFEST = "manifest.json"
LOCK_WAIT = 60.0
"""Seconds a run waits for another run publishing into the same out folder. Publishing itself
takes a fraction of a second (documents are rendered before the lock is taken)."""
_MAX_MANIFEST = 1 << 20
# The only names a set may hold: what this program writes. A manifest naming anything else
# (``../../etc/passwd``) is ignored.
_DOCUMENT_NAME = re.compile(r"(?:\d{4}-\d{2}-\d{2}-)?briefing\.(?:pdf|docx|html|json)")


@dataclass(frozen=True, slots=True)
class Item:
    """One document of the new set: file name, bytes, and its manifest entry's other fields."""

    name: str
    data: bytes
    format: str
    pages: int | None = None
    archive: bool = False


def write_atomic(path: Path, data: bytes) -> None:
    """Replace `path` with `data` atomically; raise OutputError naming `path` on failure.

    The new file keeps the permissions of the one it replaces; a new file gets the umask's."""
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
        os.chmod(temporary, _mode_for(path))
        os.replace(temporary, path)
    except BaseException as error:
        try:
            os.unlink(temporary)
        except OSError:
            pass
        if isinstance(error, OSError):
            raise OutputError(path, _describe(error, path)) from None
        raise


def _mode_for(path: Path) -> int:
    """The mode of the file now at `path`, else what the umask allows of 0666."""
    try:
        return stat.S_IMODE(path.stat().st_mode) & 0o666
    except OSError:
        return 0o666 & ~_umask()


def _umask() -> int:
    umask = os.umask(0o22)
    os.umask(umask)
    return umask


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
    if os.path.lexists(folder / STATE):
        _state_folder(folder)


# --- the lock ----------------------------------------------------------------------------------


@contextmanager
def locked(folder: Path, say: Callable[[str], None] = lambda _m: None) -> Iterator[None]:
    """Hold the out folder's lock; wait up to LOCK_WAIT seconds for another run to finish."""
    state = _state_folder(folder)
    try:
        handle = os.open(state / "lock", os.O_RDWR | os.O_CREAT | os.O_CLOEXEC | os.O_NOFOLLOW, 0o600)
    except OSError as error:
        raise OutputError(state / "lock", _describe(error, state / "lock")) from None
    try:
        deadline = time.monotonic() + LOCK_WAIT
        waiting = False
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise OutputError(
                        folder, f"another briefing run is writing to this folder (waited {LOCK_WAIT:.0f} s)"
                    ) from None
                if not waiting:
                    say(f"waiting for another run writing to {folder}")
                    waiting = True
                time.sleep(0.05)
        yield
    finally:
        os.close(handle)


def _state_folder(folder: Path) -> Path:
    """``out/.briefing``, created if missing; refused if it is a link or not a folder (the
    state is never followed out of the out folder)."""
    state = folder / STATE
    try:
        state.mkdir(exist_ok=True)
        info = os.lstat(state)
    except OSError as error:
        raise OutputError(state, _describe(error, state)) from None
    if not stat.S_ISDIR(info.st_mode):
        raise OutputError(state, "is not a folder (a link?); remove it")
    return state


# --- the set -----------------------------------------------------------------------------------


def publish(folder: Path, items: Sequence[Item], header: dict[str, object], key: str) -> list[str]:
    """Make `items` plus their manifest the out folder's set, in one step; the names written.

    Call under `locked`. Documents of the current set that are not replaced stay in the new set
    when they are dated archive copies, or other formats of the very same briefing (`key`:
    its content and settings) whose files are unchanged; the rest leave it.
    """
    state = folder / STATE
    previous = _current_manifest(state)
    documents: dict[str, dict[str, object]] = {}
    kept: list[str] = []
    for name, entry in previous.get("documents", {}).items():
        if any(item.name == name for item in items):
            continue
        same = previous.get("key") == key or entry.get("archive") is True
        if same and _sha256_of(state / "current" / name) == entry.get("sha256"):
            documents[name] = entry
            kept.append(name)
    for item in items:
        documents[item.name] = {
            "format": item.format,
            "size": len(item.data),
            "sha256": hashlib.sha256(item.data).hexdigest(),
            "pages": item.pages,
            **({"archive": True} if item.archive else {}),
        }
    manifest = {**header, "key": key, "documents": dict(sorted(documents.items()))}
    data = (json.dumps(manifest, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
    files = {item.name: item.data for item in items} | {MANIFEST: data}
    if not _symlinks_work(state):
        for name in sorted(files, key=lambda n: n == MANIFEST):  # the manifest last
            write_atomic(folder / name, files[name])
        return sorted(files)
    _publish_version(folder, state, files, kept)
    return sorted(files)


def _publish_version(folder: Path, state: Path, files: dict[str, bytes], kept: Sequence[str]) -> None:
    """Write a version folder, link the names, swap ``current`` to it, clear the old ones."""
    _clear_leftovers(state)
    version = Path(tempfile.mkdtemp(prefix="v-", dir=state))
    os.chmod(version, 0o777 & ~_umask())
    names = set(files) | set(kept)
    name = ""
    try:
        for name, data in files.items():
            _write_new(version / name, data, _mode_for(folder / name))
        for name in kept:
            try:
                os.link(state / "current" / name, version / name)
            except OSError:
                shutil.copy2(state / "current" / name, version / name)
        _fsync(version)
        for name in sorted(names):
            _link(folder / name, f"{STATE}/current/{name}")
        name = ""
        _link(state / "current", version.name)  # the one step that publishes the set
        _fsync(state)
    except BaseException as error:
        shutil.rmtree(version, ignore_errors=True)
        if isinstance(error, OSError):
            raise OutputError(folder / name, _describe(error, folder / name)) from None
        raise
    for entry in folder.iterdir():
        if entry.name not in names and _is_our_link(entry):
            _unlink_quietly(entry)
    _clear_leftovers(state)


def _write_new(path: Path, data: bytes, mode: int) -> None:
    handle = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, 0o600)
    with os.fdopen(handle, "wb") as stream:
        stream.write(data)
        stream.flush()
        os.fsync(stream.fileno())
    os.chmod(path, mode)


def _link(path: Path, target: str) -> None:
    """Make `path` a symbolic link to `target`, replacing whatever was there in one step."""
    try:
        if os.readlink(path) == target:
            return
    except OSError:
        pass
    temporary = path.with_name(f".{path.name}.{os.getpid()}.link.part")
    _unlink_quietly(temporary)
    os.symlink(target, temporary)
    try:
        os.replace(temporary, path)
    except BaseException:
        _unlink_quietly(temporary)
        raise


def _is_our_link(path: Path) -> bool:
    try:
        return os.readlink(path).startswith(f"{STATE}/current/")
    except OSError:
        return False


def _clear_leftovers(state: Path) -> None:
    """Version folders other than the current one, left by an interrupted run."""
    try:
        current = os.readlink(state / "current")
    except OSError:
        current = None
    for entry in state.iterdir():
        if entry.name.startswith("v-") and entry.name != current:
            shutil.rmtree(entry, ignore_errors=True)
        elif entry.name.endswith(".part"):
            _unlink_quietly(entry)
    for entry in state.parent.iterdir():
        if entry.name.startswith(".") and entry.name.endswith(".link.part"):
            _unlink_quietly(entry)


def _current_manifest(state: Path) -> dict[str, dict]:
    """The current set's manifest, checked: a dict whose document names are ours, else empty."""
    data = _read_regular(state / "current" / MANIFEST, _MAX_MANIFEST)
    try:
        manifest = json.loads(data) if data is not None else {}
    except (ValueError, RecursionError):
        return {}
    if not isinstance(manifest, dict) or not isinstance(manifest.get("documents"), dict):
        return {}
    documents = {
        name: entry
        for name, entry in manifest["documents"].items()
        if isinstance(name, str) and _DOCUMENT_NAME.fullmatch(name) and isinstance(entry, dict)
    }
    return {**manifest, "documents": documents}


def _sha256_of(path: Path) -> str | None:
    data = _read_regular(path, 1 << 30)
    return None if data is None else hashlib.sha256(data).hexdigest()


def _read_regular(path: Path, limit: int) -> bytes | None:
    """A regular file's bytes (no FIFO, device or final link followed), or None."""
    try:
        handle = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC)
    except OSError:
        return None
    try:
        info = os.fstat(handle)
        if not stat.S_ISREG(info.st_mode) or info.st_size > limit:
            return None
        chunks: list[bytes] = []
        while (chunk := os.read(handle, 1 << 20)) and sum(map(len, chunks)) <= limit:
            chunks.append(chunk)
        return b"".join(chunks)
    except OSError:
        return None
    finally:
        os.close(handle)


def _symlinks_work(state: Path) -> bool:
    probe = state / f".probe.{os.getpid()}.part"
    try:
        os.symlink("probe", probe)
    except OSError as error:
        if error.errno in (errno.EPERM, errno.EOPNOTSUPP, errno.ENOSYS, errno.EINVAL):
            return False
        raise OutputError(state, _describe(error, state)) from None
    _unlink_quietly(probe)
    return True


def _fsync(folder: Path) -> None:
    handle = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(handle)
    finally:
        os.close(handle)


def _unlink_quietly(path: Path) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass


def _describe(error: OSError, path: Path) -> str:
    kept = "the previous documents are unchanged" if path.exists() else "nothing was written"
    if error.errno == errno.ENOSPC:
        return f"no space left on the device; {kept}"
    if error.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return f"permission denied (the folder is read-only?); {kept}"
    return f"{error.strerror or error}; {kept}"
