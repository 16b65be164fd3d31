"""The spine: seed files → Briefing (read, then summarise). Rendering is `render.write_all`.

    files = find_seed_files(paths)
    articles, warnings = read_seed_files(files)
    briefing = summarise_briefing(articles, settings, date)
"""

from __future__ import annotations

import dataclasses
import datetime as _dt
import multiprocessing
import os
import signal
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TypeVar

from .config import Settings
from .decode import clean_text
from .errors import BriefingError, InputError
from .model import Article, Briefing
from .picks import applied, unmatched_warning
from .read import read_articles
from .sources import READERS, read_source, with_meta
from .sources.web import Fetched

T = TypeVar("T")

MAX_SEED_BYTES = 10 * 1024 * 1024
"""A 简报 is made from a handful of articles; 10 MB is about 1,000 of them. A bigger file is
refused in one line rather than tying up a scheduled job for minutes."""


def find_seed_files(paths: Sequence[Path]) -> list[Path]:
    """Expand folders to their seed files (.txt, .docx, .html…, sorted by name); check that every
    path exists. A list of web addresses is not a seed (a folder holding only ``urls.txt`` gives
    none, for ``--seeds-from`` to add to)."""
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            try:
                candidates = sorted(p for p in path.iterdir() if p.suffix.lower() in READERS and p.is_file())
            except PermissionError:
                raise InputError(path, "permission denied: cannot list this folder") from None
            found = [p for p in candidates if not is_address_list(p)]
            if not candidates:
                raise InputError(path, f"no seed files ({', '.join(sorted(READERS))}) in this folder")
            files.extend(found)
        elif path.is_file():
            files.append(path)
        elif path.exists():
            raise InputError(path, "not a regular file or folder")
        else:
            raise InputError(path, "no such file or folder")
    return files


def is_address_list(path: Path) -> bool:
    """A ``.txt`` holding only web addresses and ``#`` comments (``seeds/urls.txt``): read with
    ``--seeds-from``, never as an article."""
    if path.suffix.lower() != ".txt" or path.stat().st_size > MAX_SEED_BYTES:
        return False
    try:
        lines = [line.strip() for line in path.read_text("utf-8-sig").splitlines()]
    except (OSError, UnicodeDecodeError):
        return False
    entries = [line for line in lines if line and not line.startswith("#")]
    return bool(entries) and all(line.lower().startswith(("http://", "https://")) for line in entries)


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


def read_seed_file(seed: Path | Fetched) -> tuple[list[Article], list[str]]:
    """Read one seed (a file, or a page fetched into the cache) into articles, by its suffix
    (see `sources`); warnings for what was left out or repaired (control characters)."""
    path = seed.path if isinstance(seed, Fetched) else seed
    name = seed.url if isinstance(seed, Fetched) else str(path)
    source = read_source(read_bytes(path), name, path.suffix, seed.charset if isinstance(seed, Fetched) else None)
    text, bad = clean_text(source.text)
    warnings = list(source.warnings)
    if bad:
        warnings.append(f"{name}: removed {bad} control or non-character code point(s) that break XML and Word")
    articles = read_articles(text, seed.url if isinstance(seed, Fetched) else display_path(path), source.headings)
    if not articles:
        raise InputError(name, "the file has no text")
    if not any(p for a in articles for s in a.sections for p in s.paragraphs):
        raise InputError(name, "no body text found (only header lines or captions)")
    meta = dict(source.meta, url=seed.url) if isinstance(seed, Fetched) else source.meta
    return with_meta(articles, dataclasses.replace(source, meta=meta)), warnings


def read_seed_files(
    files: Sequence[Path | Fetched], progress: Callable[[int, int], None] | None = None, keep_going: bool = False
) -> tuple[list[Article], list[str]]:
    """Read every seed in order; all articles and warnings together. With `keep_going`, a seed
    that cannot be read is skipped with a warning (an error only when none can be read)."""
    articles: list[Article] = []
    warnings: list[str] = []
    for done, seed in enumerate(files, start=1):
        try:
            found, warned = read_seed_file(seed)
        except InputError as error:
            if not keep_going:
                raise
            warnings.append(f"skipped {error}")
            if done == len(files) and not articles:
                raise InputError(error.path, f"{error.problem} (and no other seed could be read)") from None
            continue
        articles.extend(found)
        warnings.extend(warned)
        if progress is not None:
            progress(done, len(files))
    return articles, warnings


def summarised_articles(
    files: Sequence[Path | Fetched], settings: Settings, progress: Callable[[int, int], None] | None = None,
    keep_going: bool = False,
) -> tuple[list[Article], list[str]]:
    """Read every seed file, then pick key sentences and figures (one jieba load for all).

    `progress(done, total)` is called after each article is summarised.
    """
    from .summarise import Summariser

    articles, warnings = read_seed_files(files, keep_going=keep_going)
    summariser = Summariser()
    summarised = []
    for article in articles:
        summarised.append(summariser.summarise_article(article, settings.sentences, settings.overview, settings.picks))
        if progress is not None:
            progress(len(summarised), len(articles))
    return summarised, warnings


def decisions(settings: Settings, articles: Sequence[Article]) -> tuple[dict[str, list[str]], list[str]]:
    """What an editor's ``[picks]`` did (for the manifest), and warnings: decisions that name
    nothing any more (the source changed), sections pinned past the maximum."""
    done = applied(settings.picks, (i for article in articles for i in article.decided))
    warnings = []
    if done["unmatched"]:
        warnings.append(unmatched_warning("[picks]", done["unmatched"]))
    for article in articles:
        for section in article.sections:
            pins = sum(k.pinned for k in section.key_sentences)
            if pins > settings.sentences:
                where = f"{article.title or article.source}: {section.heading or '导语'}"
                warnings.append(f"[picks]: {where} has {pins} pinned sentences, more than sentences = "
                                f"{settings.sentences}; all pinned ones are kept")
    return done, warnings


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


def read_seed_list(path: Path) -> list[str]:
    """``--seeds-from FILE``: one web address or path a line, ``#`` comments; paths are taken
    relative to the list's folder."""
    from .sources.web import is_address

    try:
        text = read_bytes(path).decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise InputError(path, f"a list of addresses must be UTF-8 (bad byte at {error.start})") from None
    entries = []
    for line in text.splitlines():
        line = line.split(" #")[0].strip() if not line.lstrip().startswith("#") else ""
        if line:
            entries.append(line if is_address(line) else str(path.parent / line))
    if not entries:
        raise InputError(path, "lists no addresses or files")
    return entries


def collect_seeds(
    values: Sequence[str], out_dir: Path, keep_going: bool = False
) -> tuple[list[Path | Fetched], list[str]]:
    """The seeds in the order given: folders expanded, addresses fetched into ``out_dir``'s
    cache (see `sources.web`). With `keep_going` an address that cannot be fetched is skipped
    with a warning; a missing file is always an error."""
    from .sources.web import fetch_page, is_address

    seeds: list[Path | Fetched] = []
    warnings: list[str] = []
    for value in values:
        if not is_address(value):
            seeds.extend(find_seed_files([Path(value)]))
            continue
        try:
            page, warning = fetch_page(value, out_dir)
        except InputError as error:
            if not keep_going:
                raise
            warnings.append(f"skipped {error}")
            continue
        seeds.append(page)
        if warning:
            warnings.append(warning)
    if not seeds:
        raise InputError(values[0] if values else "--seeds", "no seeds to read (a list of web addresses is "
                                                              "given with --seeds-from)")
    return seeds, warnings
