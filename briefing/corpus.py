"""Summarising at corpus scale: one function to map over texts, and the JSON-lines stream.

`summarise_text` is the public entry point for a user with many texts: a plain module-level
function (it pickles by name, so Dask, Ray, Spark or `multiprocessing` can ship it to workers),
whose first call in a process loads the tokenizer and the model and whose later calls reuse
them. `summarise_stream` is ``briefing summarise --jsonl``: it reads the feed line by line,
hands batches to worker processes, and writes the answers in input order, holding only a
few batches at a time, so memory does not grow with the feed.
"""

from __future__ import annotations

import json
import os
import signal
import sys
import tempfile
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, BinaryIO

from .errors import BriefingError, InputError

if TYPE_CHECKING:
    from .model import KeySentence

_shared = None

BATCH_CHARS = 20_000
"""Characters of text per batch sent to a worker: a few hundred news items or a few features,
enough that pickling and the round trip cost little, small enough that workers stay busy."""


class WorkerError(BriefingError):
    """A worker process died (killed, out of memory) while summarising."""


def summariser():  # type: ignore[no-untyped-def]
    """This process's one `Summariser`, built on first use (about 0.3 s: jieba's dictionary)."""
    global _shared
    if _shared is None:
        from .summarise import Summariser

        _shared = Summariser()
    return _shared


def summarise_text(text: str, sentences: int = 2) -> list[str]:
    """The key sentences of one plain-text article, verbatim and in source order.

    The same answer as ``briefing summarise --sentences N`` (control characters removed
    first). Cheap to call many times: the tokenizer loads once per process. Safe to send to
    worker processes (it is a plain function), e.g. with Dask::

        bag = dask.bag.from_sequence(texts, npartitions=64)
        summaries = bag.map(briefing.summarise_text, sentences=3).compute()
    """
    return [key.text for key in key_sentences(text, sentences)]


def key_sentences(text: str, sentences: int = 2) -> list[KeySentence]:
    """`summarise_text` with each sentence's score and the signals that chose it."""
    from .decode import clean_text

    return summariser().key_sentences_of_text(clean_text(text)[0], sentences)


# --- the JSON-lines stream ---------------------------------------------------------------


def read_jsonl(stream: BinaryIO, name: str) -> Iterator[tuple[object, str]]:
    """``(id, text)`` for each non-blank line of a JSON-lines feed, read lazily; an InputError
    naming ``file:line`` for a line that is not UTF-8, not ``{"text": …}`` (NaN and Infinity are
    not JSON), or whose id is not a whole number or a one-line string. A missing id is the line
    number."""
    from .decode import bad_in_line

    for number, raw in enumerate(stream, start=1):
        where = f"{name}:{number}"
        try:
            line = raw.decode("utf-8-sig" if number == 1 else "utf-8")
        except UnicodeDecodeError as error:
            raise InputError(where, f"JSON lines must be UTF-8 (bad byte at {error.start})") from None
        if not line.strip():
            continue
        try:
            item = json.loads(line, parse_constant=_no_constant)
        except RecursionError:
            raise InputError(where, "not a JSON object: nested too deeply") from None
        except ValueError as error:
            raise InputError(where, f"not a JSON object: {error}") from None
        if not isinstance(item, dict) or not isinstance(item.get("text"), str):
            raise InputError(where, 'each line needs a "text" string (and an "id")')
        identity = item.get("id", number)
        if isinstance(identity, bool) or not isinstance(identity, (str, int)) or (
            isinstance(identity, str) and bad_in_line(identity)
        ):
            raise InputError(where, '"id" must be a whole number or a one-line string without control characters')
        yield identity, item["text"]


def _no_constant(name: str) -> object:
    raise ValueError(f"{name} is not JSON")


@contextmanager
def checked_feed(stream: BinaryIO, name: str) -> Iterator[BinaryIO]:
    """The feed, every line checked by `read_jsonl` before anything is summarised or printed.

    A seekable file is read twice; a pipe (stdin) is copied to a temporary file as it is
    checked, and that copy is read back: a feed of any size, in constant memory.
    """
    try:
        seekable = stream.seekable()
    except (AttributeError, OSError, ValueError):
        seekable = False
    if seekable:
        start = stream.tell()
        for _ in read_jsonl(stream, name):
            pass
        stream.seek(start)
        yield stream
        return
    with tempfile.TemporaryFile(prefix="briefing-feed-") as copy:
        for _ in read_jsonl(_copying(stream, copy), name):
            pass
        copy.seek(0)
        yield copy


def _copying(stream: BinaryIO, copy: BinaryIO) -> Iterator[bytes]:
    for line in stream:
        copy.write(line)
        yield line


def answer_batch(batch: list[tuple[object, str]], sentences: int, explain: bool) -> tuple[list[str], int]:
    """The output lines for a batch of ``(id, text)``, and the characters summarised."""
    lines = []
    for ident, text in batch:
        keys = key_sentences(text, sentences)
        row: dict[str, object] = {"id": ident, "summary": [k.text for k in keys]}
        if explain:
            row["why"] = [dict(k.reasons) for k in keys]
        lines.append(json.dumps(row, ensure_ascii=False, allow_nan=False))
    return lines, sum(len(text) for _, text in batch)


def batches(items: Iterable[tuple[object, str]], size: int = BATCH_CHARS) -> Iterator[list[tuple[object, str]]]:
    batch: list[tuple[object, str]] = []
    chars = 0
    for item in items:
        batch.append(item)
        chars += len(item[1])
        if chars >= size:
            yield batch
            batch, chars = [], 0
    if batch:
        yield batch


def summarise_stream(
    items: Iterable[tuple[object, str]],
    sentences: int,
    explain: bool = False,
    jobs: int = 1,
    progress: Callable[[int, int], None] | None = None,
    batch_chars: int = BATCH_CHARS,
) -> Iterator[str]:
    """The output line of every ``(id, text)``, in input order.

    With ``jobs > 1`` batches are summarised by that many worker processes, at most two
    batches per worker in flight (so a 1 GB feed never sits in memory); a feed that fits in
    one batch is summarised here, without starting workers. `progress(texts, chars)` is
    called after each batch.
    """
    texts = chars = 0
    queue = batches(items, batch_chars)
    first = next(queue, None)
    if first is None:
        return
    second = next(queue, None)
    todo = _chain(first, second, queue)
    if jobs <= 1 or second is None:
        results: Iterator[tuple[list[str], int]] = (answer_batch(b, sentences, explain) for b in todo)
    else:
        results = _in_workers(todo, sentences, explain, jobs)
    for lines, size in results:
        yield from lines
        texts += len(lines)
        chars += size
        if progress is not None:
            progress(texts, chars)


def _chain(first, second, rest):  # type: ignore[no-untyped-def]
    yield first
    if second is not None:
        yield second
        yield from rest


def _in_workers(todo, sentences: int, explain: bool, jobs: int) -> Iterator[tuple[list[str], int]]:  # type: ignore[no-untyped-def]
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    method = "fork" if sys.platform == "linux" else "spawn"
    pool = ProcessPoolExecutor(jobs, mp_context=multiprocessing.get_context(method), initializer=_start_worker,
                               initargs=(os.getpid(),))
    pending: deque = deque()
    try:
        for batch in todo:
            pending.append(pool.submit(answer_batch, batch, sentences, explain))
            if len(pending) >= 2 * jobs:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()
    except BrokenProcessPool:
        raise WorkerError("--jobs", "a worker process died (killed, or out of memory?)") from None
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _start_worker(parent: int) -> None:
    """Ctrl-C goes to the command line, which stops the pool; a worker dies with the command
    line, however that ends (`pipeline._die_with_parent`); workers load the model now."""
    from .pipeline import _die_with_parent

    _die_with_parent(parent)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    summariser()
