"""The spine: seed files → Briefing (read, then summarise). Rendering is `render.write_all`.

    files = find_seed_files(paths)
    articles, warnings = read_seed_files(files)
    briefing = summarise_briefing(articles, settings, date)
"""

from __future__ import annotations

import ctypes
import dataclasses
import datetime as _dt
import hashlib
import multiprocessing
import os
import signal
import stat
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import BinaryIO, TypeVar

from .config import Settings, check_date
from .decode import clean_text, readable_name
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
MAX_ARTICLES = 1000
"""The same bound on the number of articles (10,000 tiny files took ten minutes and 6 GB as a
PDF); 1,000 take about a minute. More seed files or articles are refused in one line."""


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
            if len(candidates) > MAX_ARTICLES:
                raise InputError(path, f"more than {MAX_ARTICLES} seed files; a 简报 is made from a handful")
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
    """The path as the briefing shows it: relative to the working folder when inside it, else
    the file name only (a published document never shows a user's home folder)."""
    try:
        shown = Path(os.path.abspath(path)).relative_to(os.path.abspath(Path.cwd())).as_posix()
    except ValueError:
        shown = path.name
    return readable_name(shown)


def read_bytes(path: Path, limit: int = MAX_SEED_BYTES) -> bytes:
    """A seed file's bytes, or an InputError naming it: missing, a folder, unreadable, too big,
    or not a regular file (``/dev/zero``, a FIFO: read without end or without a writer)."""
    try:
        handle = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
    except FileNotFoundError:
        raise InputError(path, "no such file") from None
    except PermissionError:
        raise InputError(path, "permission denied") from None
    except OSError as error:
        raise InputError(path, error.strerror or str(error)) from None
    try:
        info = os.fstat(handle)
        if stat.S_ISDIR(info.st_mode):
            raise InputError(path, "is a folder, not a file")
        if not stat.S_ISREG(info.st_mode):
            raise InputError(path, "not a regular file (a device, FIFO or socket)")
        data = b"" if info.st_size > limit else _read_up_to(handle, limit + 1)
    except OSError as error:
        raise InputError(path, error.strerror or str(error)) from None
    finally:
        os.close(handle)
    size = max(info.st_size, len(data))
    if size > limit:
        raise InputError(path, f"the file is {size / 2**20:.1f} MB; the limit is {limit // 2**20} MB")
    return data


def _read_up_to(handle: int, limit: int) -> bytes:
    chunks: list[bytes] = []
    size = 0
    while size < limit and (chunk := os.read(handle, min(1 << 20, limit - size))):
        chunks.append(chunk)
        size += len(chunk)
    return b"".join(chunks)


def read_stream(stream: BinaryIO, name: str, limit: int = MAX_SEED_BYTES) -> bytes:
    """Up to `limit` bytes of a stream (stdin), or an InputError: a pipe is not read without end."""
    try:
        data = stream.read(limit + 1)
    except OSError as error:
        raise InputError(name, error.strerror or str(error)) from None
    if len(data) > limit:
        raise InputError(name, f"more than {limit // 2**20} MB; the limit is {limit // 2**20} MB")
    return data


def read_seed_file(
    seed: Path | Fetched, sources: list[dict[str, str]] | None = None
) -> tuple[list[Article], list[str]]:
    """Read one seed (a file, or a page fetched into the cache) into articles, by its suffix
    (see `sources`); warnings for what was left out or repaired (control characters).

    `sources`, when given, gets the seed's manifest record with the SHA-256 of the bytes read."""
    path = seed.path if isinstance(seed, Fetched) else seed
    name = seed.url if isinstance(seed, Fetched) else str(path)
    # Errors name the path as given; the warnings, published in briefing.json, never a home folder.
    shown = seed.url if isinstance(seed, Fetched) else display_path(path)
    data = read_bytes(path)
    if sources is not None:
        record = seed.record() if isinstance(seed, Fetched) else {}
        sources.append(dict(record, path=display_path(path), sha256=hashlib.sha256(data).hexdigest()))
    source = read_source(data, name, path.suffix, seed.charset if isinstance(seed, Fetched) else None)
    text, bad = clean_text(source.text)
    warnings = [warning.replace(name, shown, 1) for warning in source.warnings]
    if bad:
        warnings.append(
            f"{shown}: removed {bad} control, bidi or non-character code point(s) "
            "that break XML and Word or reorder the text"
        )
    articles = read_articles(text, seed.url if isinstance(seed, Fetched) else display_path(path), source.headings)
    if not articles:
        raise InputError(name, "the file has no text")
    if not any(p for a in articles for s in a.sections for p in s.paragraphs):
        raise InputError(name, "no body text found (only header lines or captions)")
    meta = dict(source.meta, url=seed.url) if isinstance(seed, Fetched) else source.meta
    return with_meta(articles, dataclasses.replace(source, meta=meta)), warnings


def read_seed_files(
    files: Sequence[Path | Fetched],
    progress: Callable[[int, int], None] | None = None,
    keep_going: bool = False,
    sources: list[dict[str, str]] | None = None,
) -> tuple[list[Article], list[str]]:
    """Read every seed in order; all articles and warnings together. With `keep_going`, a seed
    that cannot be read is skipped with a warning (an error only when none can be read)."""
    articles: list[Article] = []
    warnings: list[str] = []
    for done, seed in enumerate(files, start=1):
        try:
            found, warned = read_seed_file(seed, sources)
        except InputError as error:
            if not keep_going:
                raise
            warnings.append(f"skipped {error}")
            if done == len(files) and not articles:
                raise InputError(error.path, f"{error.problem} (and no other seed could be read)") from None
            continue
        if len(articles) + len(found) > MAX_ARTICLES:
            raise InputError(getattr(seed, "url", seed), f"more than {MAX_ARTICLES} articles in the seeds; "
                             "a 简报 is made from a handful")
        articles.extend(found)
        warnings.extend(warned)
        if progress is not None:
            progress(done, len(files))
    return articles, warnings


def summarised_articles(
    files: Sequence[Path | Fetched], settings: Settings, progress: Callable[[int, int], None] | None = None,
    keep_going: bool = False,
) -> tuple[list[Article], list[str], list[dict[str, str]]]:
    """Read every seed file, then pick key sentences and figures (one jieba load for all).

    Also returns each seed's manifest record with the SHA-256 of the bytes that were read.
    `progress(done, total)` is called after each article is summarised.
    """
    from .summarise import Summariser

    sources: list[dict[str, str]] = []
    articles, warnings = read_seed_files(files, keep_going=keep_going, sources=sources)
    summariser = Summariser()
    summarised = []
    for article in articles:
        summarised.append(summariser.summarise_article(article, settings.sentences, settings.overview, settings.picks))
        if progress is not None:
            progress(len(summarised), len(articles))
    return summarised, warnings, sources


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
    Where fork is not the platform's way (macOS, Windows), or only one core is usable (a
    container's CPU set, ``taskset``), one after the other: a fork would only add its own cost.
    """
    if sys.platform != "linux" or usable_cores() < 2:
        meanwhile()
        return work()
    context = multiprocessing.get_context("fork")
    receiver, sender = context.Pipe(duplex=False)
    worker = context.Process(target=_work_and_send, args=(work, receiver, sender, os.getpid()), daemon=True)
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


def usable_cores() -> int:
    """The cores this process may run on (its affinity mask), not the machine's count."""
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def _work_and_send(work: Callable[[], object], receiver, sender, parent: int) -> None:  # type: ignore[no-untyped-def]
    # Only the parent reads: with our copy of the reading end closed, a dead parent turns a
    # large result into EPIPE here instead of a write that blocks for ever.
    receiver.close()
    _die_with_parent(parent)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})  # blocked by the parent around the fork
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    try:
        result: tuple[bool, object] = (True, work())
    except BriefingError as error:
        result = (False, error)
    except Exception as error:  # noqa: BLE001 - sent back whole, as one picklable error
        result = (False, RuntimeError(f"{type(error).__name__}: {error}"))
    try:
        sender.send(result)
        sender.close()
    except OSError:  # the parent is gone: nobody wants the result
        os._exit(1)


_PR_SET_PDEATHSIG = 1


def _die_with_parent(parent: int) -> None:
    """Ask Linux to SIGKILL this worker when the process that forked it dies (SIGKILL included).

    Without it a worker outlives a killed run, holding its stdout/stderr and memory, and a
    supervisor that waits for the output hangs. If the parent died before the request took
    effect, exit now.
    """
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):
        pass
    if os.getppid() != parent:
        os._exit(1)


def resolve_date(date: str | None, environ: dict[str, str] | None = None) -> str:
    """``--date``, else SOURCE_DATE_EPOCH (reproducible builds), else today; as YYYY-MM-DD,
    within the dates a DOCX can store."""
    environ = dict(os.environ) if environ is None else environ
    if date:
        try:
            return check_date(date)
        except ValueError as error:
            raise InputError("--date", str(error)) from None
    epoch = environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        try:
            day = _dt.datetime.fromtimestamp(int(epoch), _dt.timezone.utc).date().isoformat()
        except (ValueError, OverflowError, OSError):
            raise InputError("SOURCE_DATE_EPOCH", f"{epoch!r} is not a Unix time") from None
        try:
            return check_date(day, "SOURCE_DATE_EPOCH")
        except ValueError as error:
            raise InputError("SOURCE_DATE_EPOCH", str(error)) from None
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
    seen: set[tuple[int, int]] = set()
    for value in values:
        if not is_address(value):
            for path in find_seed_files([Path(value)]):
                info = path.stat()
                if (info.st_dev, info.st_ino) in seen:  # --seeds seeds/ --seeds seeds/x.txt
                    warnings.append(str(InputError(display_path(path), "given more than once; read once")))
                    continue
                seen.add((info.st_dev, info.st_ino))
                seeds.append(path)
            if len(seeds) > MAX_ARTICLES:
                raise InputError(value, f"more than {MAX_ARTICLES} seed files; a 简报 is made from a handful")
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
