"""The spine: seed files → Briefing (read, then summarise). Rendering is `render.write_all`.

    files = find_seed_files(paths)
    articles, warnings = read_seed_files(files)
    briefing = summarise_briefing(articles, settings, date)
"""

from __future__ import annotations

import datetime as _dt
import multiprocessing
import os
import signal
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TypeVar

from .config import Settings
from .decode import clean_text, decode_bytes
from .errors import BriefingError, InputError
from .model import Article, Briefing
from .read import read_articles

T = TypeVar("T")

MAX_SEED_BYTES = 10 * 1024 * 1024
"""A 简报 is made from a handful of articles; 10 MB is about 1,000 of them. A bigger file is
refused in one line rather than tying up a scheduled job for minutes."""


def find_seed_files(paths: Sequence[Path]) -> list[Path]:
    """Expand folders to their ``*.txt`` files (sorted by name); check that every path exists."""
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            try:
                found = sorted(p for p in path.iterdir() if p.suffix.lower() == ".txt" and p.is_file())
            except PermissionError:
                raise InputError(path, "permission denied: cannot list this folder") from None
            if not found:
                raise InputError(path, "no .txt files in this folder")
            files.extend(found)
        elif path.is_file():
            files.append(path)
        elif path.exists():
            raise InputError(path, "not a regular file or folder")
        else:
            raise InputError(path, "no such file or folder")
    return files


def display_path(path: Path) -> str:
    """The path as the briefing shows it: relative to the working folder when inside it."""
    try:
        return path.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return path.as_posix()


def read_bytes(path: Path) -> bytes:
    """A seed file's bytes, or an InputError naming it: missing, a folder, unreadable, too big."""
    try:
        size = path.stat().st_size
        if size > MAX_SEED_BYTES:
            raise InputError(path, f"the file is {size / 2**20:.1f} MB; the limit is {MAX_SEED_BYTES // 2**20} MB")
        return path.read_bytes()
    except FileNotFoundError:
        raise InputError(path, "no such file") from None
    except PermissionError:
        raise InputError(path, "permission denied") from None
    except IsADirectoryError:
        raise InputError(path, "is a folder, not a file") from None
    except OSError as error:
        raise InputError(path, error.strerror or str(error)) from None


def read_seed_file(path: Path) -> tuple[list[Article], list[str]]:
    """Read one seed file into articles; warnings for repaired oddities (control characters)."""
    text, _encoding = decode_bytes(read_bytes(path), path)
    text, bad = clean_text(text)
    warnings = []
    if bad:
        warnings.append(f"{path}: removed {bad} control or non-character code point(s) that break XML and Word")
    articles = read_articles(text, display_path(path))
    if not articles:
        raise InputError(path, "the file has no text")
    if not any(p for a in articles for s in a.sections for p in s.paragraphs):
        raise InputError(path, "no body text found (only header lines or captions)")
    return articles, warnings


def read_seed_files(
    files: Sequence[Path], progress: Callable[[int, int], None] | None = None
) -> tuple[list[Article], list[str]]:
    """Read every file in order; all articles and warnings together."""
    articles: list[Article] = []
    warnings: list[str] = []
    for done, path in enumerate(files, start=1):
        found, warned = read_seed_file(path)
        articles.extend(found)
        warnings.extend(warned)
        if progress is not None:
            progress(done, len(files))
    return articles, warnings


def summarised_articles(
    files: Sequence[Path], settings: Settings, progress: Callable[[int, int], None] | None = None
) -> tuple[list[Article], list[str]]:
    """Read every seed file, then pick key sentences and figures (one jieba load for all).

    `progress(done, total)` is called after each article is summarised.
    """
    from .summarise import Summariser

    articles, warnings = read_seed_files(files)
    summariser = Summariser()
    summarised = []
    for article in articles:
        summarised.append(summariser.summarise_article(article, settings.sentences, settings.overview))
        if progress is not None:
            progress(len(summarised), len(articles))
    return summarised, warnings


def overlapped(work: Callable[[], T], meanwhile: Callable[[], object]) -> T:
    """Run `work` in a forked worker while this process runs `meanwhile`; `work`'s result returns.

    `briefing make` spends most of its start-up on two independent loads: jieba's dictionary
    (for summarising) and WeasyPrint (for rendering). On two cores they overlap. The worker
    ignores Ctrl-C: this process gets it, stops the worker and reports the interruption once.
    The worker's BriefingError is raised here; any other failure becomes a RuntimeError.
    Where fork is not the platform's way (macOS, Windows), one after the other.
    """
    if sys.platform != "linux":
        meanwhile()
        return work()
    context = multiprocessing.get_context("fork")
    receiver, sender = context.Pipe(duplex=False)
    worker = context.Process(target=_work_and_send, args=(work, sender), daemon=True)
    # Ctrl-C during the fork would be raised inside an at-fork callback, which Python reports as
    # "Exception ignored" and drops: the run would go on. Hold it until the fork is done.
    held = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        worker.start()
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, held)
    sender.close()
    try:
        meanwhile()
        try:
            succeeded, value = receiver.recv()
        except EOFError:
            raise RuntimeError(f"the worker process died (exit code {worker.exitcode})") from None
    finally:
        receiver.close()
        if worker.is_alive():
            worker.terminate()
        worker.join()
    if not succeeded:
        raise value
    return value


def _work_and_send(work: Callable[[], object], sender) -> None:  # type: ignore[no-untyped-def]
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})  # blocked by the parent around the fork
    try:
        result: tuple[bool, object] = (True, work())
    except BriefingError as error:
        result = (False, error)
    except Exception as error:  # noqa: BLE001 - sent back whole, as one picklable error
        result = (False, RuntimeError(f"{type(error).__name__}: {error}"))
    sender.send(result)
    sender.close()


def resolve_date(date: str | None, environ: dict[str, str] | None = None) -> str:
    """``--date``, else SOURCE_DATE_EPOCH (reproducible builds), else today; as YYYY-MM-DD."""
    environ = dict(os.environ) if environ is None else environ
    if date:
        try:
            return _dt.date.fromisoformat(date).isoformat()
        except ValueError:
            raise InputError("--date", f"{date!r} is not a date like 2023-01-05") from None
    epoch = environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        try:
            return _dt.datetime.fromtimestamp(int(epoch), _dt.timezone.utc).date().isoformat()
        except (ValueError, OverflowError, OSError):
            raise InputError("SOURCE_DATE_EPOCH", f"{epoch!r} is not a Unix time") from None
    return _dt.date.today().isoformat()


def briefing_title(articles: Sequence[Article]) -> str:
    """``楚雄州 红河州政协履职工作要点``: the regions named by the articles, then the topic."""
    regions: list[str] = []
    for article in articles:
        if article.region and article.region not in regions:
            regions.append(article.region)
    about_cppcc = articles and all(
        "政协" in " ".join(filter(None, (a.title, a.subtitle, a.kicker))) for a in articles
    )
    topic = "政协履职工作要点" if about_cppcc else "工作要点"
    if not regions:
        return "要闻摘编" if not about_cppcc else topic
    if len(regions) > 4:
        return f"{' '.join(regions[:3])}等地{topic}"
    return f"{' '.join(regions)}{topic}"


def build_briefing(
    articles: Sequence[Article], title: str | None, date: str, warnings: Sequence[str] = ()
) -> Briefing:
    """Wrap the articles (already summarised or not) into a Briefing."""
    return Briefing(
        title=title or briefing_title(articles),
        date=date,
        articles=tuple(articles),
        warnings=tuple(warnings),
    )
