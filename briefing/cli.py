"""The command line: ``briefing make`` and ``briefing summarise``.

Thin by design: it parses options, calls the pipeline, writes files atomically and maps the
project's errors to one line on stderr and exit code 1 (usage errors stay click's, code 2).
"""

from __future__ import annotations

import dataclasses
import datetime as _dt
import functools
import hashlib
import json
import os
import signal
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import click

from . import __version__
from .config import MAX_TEXT, Settings, check_date, check_text, load_settings, page_budget, unit_is_set
from .errors import BriefingError, InputError, OutputError
from .output import Item, check_folder, locked, publish, write_atomic
from .pipeline import (
    build_briefing,
    collect_seeds,
    decisions,
    find_seed_files,
    overlapped,
    read_bytes,
    read_seed_list,
    read_stream,
    resolve_date,
    summarised_articles,
)
from .render import load_writers

FORMATS = ("pdf", "docx", "html", "json")
DEFAULT_FORMATS = ("pdf", "docx")
PAGED = {"pdf", "docx", "html"}
"""Formats with a masthead and pages: the page budget and the unit warning apply to them."""


class Reporter:
    """One line per stage on stderr; silent with -q, timings with -v."""

    def __init__(self, quiet: bool, verbose: bool) -> None:
        self.quiet = quiet
        self.verbose = verbose
        self.started = time.perf_counter()

    def say(self, message: str) -> None:
        if not self.quiet:
            suffix = f"  [{time.perf_counter() - self.started:.2f} s]" if self.verbose else ""
            click.echo(f"briefing: {message}{suffix}", err=True)

    def progress(self) -> Callable[[int, int], None] | None:
        """A running count for long runs (many articles), on a terminal only."""
        if self.quiet or not sys.stderr.isatty():
            return None
        return _count_on_terminal


def _count_on_terminal(done: int, total: int) -> None:
    """``briefing: summarising 37/100 articles``, rewritten in place; module-level so the
    summarising worker process can be handed it."""
    if total >= 10:
        end = "\n" if done == total else ""
        print(f"\rbriefing: summarising {done}/{total} articles", end=end, file=sys.stderr, flush=True)


@contextmanager
def _errors_as_lines(
    interrupted: str = "briefing: interrupted; documents already written are complete, none is half-written",
) -> Iterator[None]:
    """BriefingError → ``briefing: error: <path>: <problem>`` and exit code 1; SIGTERM and
    Ctrl-C end the run with one line too (143, 130)."""
    try:
        previous = signal.signal(signal.SIGTERM, functools.partial(_terminate, interrupted))
    except ValueError:  # not the main thread: leave SIGTERM as it is
        previous = None
    try:
        yield
    except BriefingError as error:
        click.echo(f"briefing: error: {error}", err=True)
        sys.exit(1)
    except KeyboardInterrupt:
        # Objects torn down after Ctrl-C (WeasyPrint's font configuration) may complain while
        # the interpreter exits; the one line below is all the user needs to read.
        sys.unraisablehook = lambda _unraisable: None
        click.echo(interrupted, err=True)
        sys.exit(130)
    finally:
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)


def _terminate(interrupted: str, _signal: int, _frame: object) -> None:
    """SIGTERM: one line and exit 143 at once. Nothing needs unwinding: the out folder changes
    by one rename only, a worker dies with this process, and what an interrupted publish leaves
    is hidden and removed by the next run. (An exception raised here could land in a finaliser
    and be swallowed.)"""
    message = "briefing: terminated" + interrupted.partition("interrupted")[2] + "\n"
    try:
        os.write(2, message.encode("utf-8"))
    finally:
        os._exit(143)


def _parse_formats(values: Sequence[str]) -> tuple[str, ...]:
    """``--format pdf --format docx`` or ``--format pdf,docx`` or ``all``; order kept, no repeats."""
    chosen: list[str] = []
    if values and not any(v.strip(" ,") for v in values):
        raise click.BadParameter("give at least one of pdf, docx, html, json, all", param_hint="'--format'")
    for value in values:
        for name in value.split(","):
            name = name.strip().lower()
            if not name:
                continue
            if name == "all":
                names: Sequence[str] = FORMATS
            elif name in FORMATS:
                names = (name,)
            else:
                raise click.BadParameter(
                    f"{name!r} is not one of {', '.join(FORMATS)}, all", param_hint="'--format'"
                )
            chosen.extend(n for n in names if n not in chosen)
    return tuple(chosen) or DEFAULT_FORMATS


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="briefing")
def main() -> None:
    """Turn Chinese newspaper features into a short 简报 (PDF, DOCX, HTML, JSON).

    \b
    Example:
      briefing make --format pdf
      briefing summarise article.txt --sentences 3
    """
    _ensure_stderr()


def _ensure_stderr() -> None:
    """With stderr closed (``2>&-``) the run still runs; its lines go nowhere. Without this
    the first stage line raises and the run fails without a word."""
    try:
        os.fstat(2)
    except OSError:
        handle = os.open(os.devnull, os.O_WRONLY)
        if handle != 2:
            os.dup2(handle, 2)
            os.close(handle)
    if sys.stderr is None:
        sys.stderr = open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115 - for the whole run


@main.command()
@click.option("--format", "formats", multiple=True, metavar="FORMAT",
              help="pdf, docx, html, json or all; repeat or comma-separate. Default: pdf,docx.")
@click.option("--seeds", "seeds", multiple=True, metavar="PATH|URL",
              help="A seed file (.txt, .docx, .html), a folder of them, or an http(s) address; "
                   "repeatable. Default: seeds/.")
@click.option("--seeds-from", "seeds_from", type=click.Path(path_type=Path), default=None,
              help="A file listing seeds, one address (or path) a line, # comments.")
@click.option("--keep-going", is_flag=True,
              help="Skip a seed that cannot be read or fetched (with a warning) and make the briefing from the rest.")
@click.option("--out", "out_dir", type=click.Path(path_type=Path), default=Path("out"), show_default=True,
              help="Folder for the documents.")
@click.option("--sentences", type=click.IntRange(1, 20), default=None,
              help="At most N key sentences per section (default 4, or the config's); "
                   "a section gets what its size deserves.")
@click.option("--date", "date", default=None, metavar="YYYY-MM-DD", callback=lambda _c, _p, v: _check_date(v),
              help="The briefing's date; else SOURCE_DATE_EPOCH, else today.")
@click.option("--issue", type=click.IntRange(1, 100000), default=None, help="Issue number, 第N期.")
@click.option("--pages", type=click.IntRange(0, 10000), default=None,
              help="At most N pages, the lowest-ranked picks left out; 0: no limit. Default: 2 per article.")
@click.option("--title", default=None, callback=lambda _c, _p, v: _check_title(v), help="The briefing's title; default built from the articles.")
@click.option("--config", "config_path", type=click.Path(path_type=Path), default=None,
              help="Settings file (default briefing.toml, or [tool.briefing] in pyproject.toml).")
@click.option("--archive", is_flag=True, help="Also write dated copies, e.g. out/2023-01-05-briefing.pdf.")
@click.option("-q", "--quiet", is_flag=True, help="Print nothing but errors.")
@click.option("-v", "--verbose", is_flag=True, help="Print timings with each stage.")
def make(
    formats: Sequence[str],
    seeds: Sequence[str],
    seeds_from: Path | None,
    keep_going: bool,
    out_dir: Path,
    sentences: int | None,
    date: str | None,
    issue: int | None,
    pages: int | None,
    title: str | None,
    config_path: Path | None,
    archive: bool,
    quiet: bool,
    verbose: bool,
) -> None:
    """Read the seed articles, pick key sentences and figures, write the briefing.

    \b
    Examples:
      briefing make --format pdf
      briefing make --format all --date 2023-01-05 --issue 3 --archive
      briefing make --seeds today/ --out build/ --format docx,json
      briefing make --seeds-from seeds/urls.txt --keep-going
    """
    chosen = _parse_formats(formats)
    report = Reporter(quiet, verbose)
    with _errors_as_lines():
        settings, settings_path = load_settings(config_path, Path.cwd())
        settings = _override(settings, sentences=sentences, date=date, issue=issue, title=title, pages=pages)
        if settings_path is not None:
            report.say(f"settings from {settings_path}")
        briefing_date = resolve_date(settings.date)
        _check_environment(chosen)
        check_folder(out_dir)
        given = list(seeds) + (read_seed_list(seeds_from) if seeds_from else [])
        files, skipped = collect_seeds(given or ["seeds"], out_dir, keep_going)
        work = functools.partial(summarised_articles, files, settings, report.progress(), keep_going)
        if set(chosen) & {"pdf", "docx"}:
            articles, warnings, sources = overlapped(work, lambda: load_writers(chosen, settings))
        else:
            articles, warnings, sources = work()
        decided, picks_warnings = decisions(settings, articles)
        warnings = skipped + warnings
        for warning in [*warnings, *picks_warnings]:
            click.echo(f"briefing: warning: {warning}", err=True)
        if settings.picks:
            report.say(f"[picks]: {len(decided['pinned'])} pinned, {len(decided['dropped'])} dropped")
        sections = sum(len(a.sections) for a in articles)
        report.say(f"read {len(files)} file(s): {len(articles)} article(s), {sections} section(s)")
        picked = sum(len(s.key_sentences) for a in articles for s in a.sections)
        figures = sum(len(s.figures) for a in articles for s in a.sections)
        report.say(f"summarised: {picked} key sentence(s), {figures} figure(s)")
        if "pdf" in chosen:
            from .render.fonts import stand_in_line

            if line := stand_in_line(settings.fonts):
                report.say(line)
        briefing = build_briefing(articles, settings.title, briefing_date, warnings)
        summarised = briefing  # briefing.json keeps every pick; the page budget is the pages' own
        if set(chosen) & PAGED:
            if not unit_is_set(settings):
                click.echo("briefing: warning: no issuing unit set (unit = \"…\" in briefing.toml): "
                           "the masthead leaves it blank", err=True)
            limit = page_budget(settings, len(articles))
            if limit:
                from .render.budget import fit

                try:
                    fitted = fit(briefing, settings, limit)
                except Exception:  # noqa: BLE001 - a renderer bug: each writer reports it in one line
                    report.say("could not lay the page out to fit the page budget")
                else:
                    briefing = fitted.briefing
                    if fitted.over:
                        pins = "; [picks] pins are never left out" if decided["pinned"] else ""
                        click.echo(f"briefing: warning: --pages: {fitted.summary()}{pins}", err=True)
                    else:
                        report.say(f"fitted to the page budget: {fitted.summary()}")
        if briefing is not summarised:
            briefing = dataclasses.replace(summarised, printed=briefing)
        write_documents(briefing, settings, chosen, out_dir, archive, sources, decided, report.say)


def _check_date(value: str | None) -> str | None:
    """A bad --date is a usage error (exit 2), like any other bad option value."""
    if value is not None:
        try:
            _dt.date.fromisoformat(value)
        except ValueError:
            raise click.BadParameter(f"{value!r} is not a date like 2023-01-05", param_hint="'--date'") from None
        try:
            return check_date(value, "--date")
        except ValueError as error:
            raise click.BadParameter(str(error), param_hint="'--date'") from None
    return value


def _check_title(value: str | None) -> str | None:
    """A --title is one line of text, checked like the settings' title."""
    if value is not None:
        try:
            return check_text(value, "--title", MAX_TEXT["title"])
        except ValueError as error:
            raise click.BadParameter(str(error), param_hint="'--title'") from None
    return value


def _override(settings: Settings, **values: object) -> Settings:
    """Command-line options win over the settings file where given."""
    given = {k: v for k, v in values.items() if v is not None}
    return dataclasses.replace(settings, **given)


MIN_OPEN_FILES = 64
"""fontconfig, the worker's pipes and the documents need a few dozen descriptors; with fewer
fontconfig silently finds no font at all."""


def _check_open_files() -> None:
    """Raise a low soft ``ulimit -n`` up to the hard limit; fail in one line if that is too low."""
    import resource

    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft != resource.RLIM_INFINITY and soft < MIN_OPEN_FILES:
        wanted = MIN_OPEN_FILES if hard == resource.RLIM_INFINITY else min(hard, MIN_OPEN_FILES)
        try:
            resource.setrlimit(resource.RLIMIT_NOFILE, (wanted, hard))
        except (ValueError, OSError):
            wanted = soft
        if wanted < MIN_OPEN_FILES:
            raise OutputError("ulimit -n", f"only {soft} open files allowed; briefing needs {MIN_OPEN_FILES}")


def _check_environment(formats: Sequence[str]) -> None:
    """Fail early, in one line, if PDF output would print tofu or take many seconds."""
    _check_open_files()
    if "pdf" in formats:
        from .render.pdf import check_pdf_environment

        check_pdf_environment()


def write_documents(
    briefing, settings: Settings, formats: Sequence[str], out_dir: Path, archive: bool,
    sources: Sequence[dict[str, str]], decided: dict[str, list[str]] | None, say: Callable[[str], None],
) -> None:  # type: ignore[no-untyped-def]
    """Render every format, then publish them with their manifest as one set (see `output`).

    If any format fails to render, nothing is published: the previous set stays whole."""
    from .render import WRITERS, render_all

    paths = [out_dir / f"briefing{WRITERS[name][2]}" for name in formats]
    rendered = render_all(formats, briefing, settings, paths)
    failures = [document for document in rendered if isinstance(document, OutputError)]
    if failures:
        raise _one_error(failures)
    items = []
    for name, path, document in zip(formats, paths, rendered, strict=True):
        items.append(Item(path.name, document.data, name, document.pages))
        if archive:
            items.append(Item(f"{briefing.date}-{path.name}", document.data, name, document.pages, archive=True))
    header = {
        "title": briefing.title,
        "date": briefing.date,
        "sources": list(sources),
        "picks": decided or {"pinned": [], "dropped": [], "unmatched": []},
    }
    with locked(out_dir, say):
        publish(out_dir, items, header, _briefing_key(briefing, settings))
    for item in items:
        pages = f", {item.pages} pages" if item.pages else ""
        say(f"wrote {out_dir / item.name} ({_size(len(item.data))}{pages})")


def _briefing_key(briefing, settings: Settings) -> str:  # type: ignore[no-untyped-def]
    """The SHA-256 of what every document is made from: the summarised model (before the page
    budget, which the paged formats apply alike) and the settings."""
    from .render.json import briefing_dict

    whole = dataclasses.replace(briefing, printed=None)
    content = {"briefing": briefing_dict(whole, settings), "settings": dataclasses.asdict(settings)}
    return hashlib.sha256(json.dumps(content, ensure_ascii=False, sort_keys=True).encode("utf-8")).hexdigest()


def _one_error(failures: Sequence[OutputError]) -> OutputError:
    """Several formats failing (often for one reason) still make one line."""
    first = failures[0]
    if len(failures) == 1:
        return first
    others = ", ".join(Path(f.path).name for f in failures[1:])
    return OutputError(first.path, f"{first.problem} (also failed: {others})")


def _size(count: int) -> str:
    return f"{count / 1024:.0f} KB" if count >= 1024 else f"{count} bytes"


@main.command()
@click.option("--seeds", "seeds", multiple=True, type=click.Path(path_type=Path),
              help="A seed file or folder of *.txt files; repeatable. Default: seeds/.")
@click.option("--out", "out_dir", type=click.Path(path_type=Path), default=Path("out"), show_default=True,
              help="Folder for review.html (and, with --serve, the briefing).")
@click.option("--config", "config_path", type=click.Path(path_type=Path), default=None,
              help="Settings file (default briefing.toml); --serve writes [picks] into it.")
@click.option("--serve", is_flag=True, help="Serve the page and write the decisions into the settings file.")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address for --serve (loopback only, "
              "unless --allow-remote).")
@click.option("--port", type=click.IntRange(0, 65535), default=8765, show_default=True, help="Port for --serve.")
@click.option("--allow-remote", is_flag=True, help="Let --serve bind an address other machines can reach.")
def review(seeds: Sequence[Path], out_dir: Path, config_path: Path | None, serve: bool, host: str, port: int,
           allow_remote: bool) -> None:
    """Write out/review.html: every sentence with its rank, score and id, to pin or drop.

    \b
    Examples:
      briefing review                 # then open out/review.html in a browser
      briefing review --serve         # http://127.0.0.1:8765/ writes [picks] into briefing.toml
    """
    from .pipeline import read_seed_files
    from .review import render_review, review_articles
    from .serve import App, check_host, make_server, new_token, remake_command, settings_target
    from .summarise import Summariser

    with _errors_as_lines():
        settings, settings_path = load_settings(config_path, Path.cwd())
        target = Path("briefing.toml")
        if serve:
            check_host(host, allow_remote)
            target = settings_target(config_path, settings_path, Path.cwd())
        check_folder(out_dir)
        seed_paths = list(seeds) or [Path("seeds")]
        find_seed_files(seed_paths)  # a missing seed folder stops here, before jieba loads
        summariser = Summariser()

        def fresh_page(token: str | None, message: str = "") -> str:
            """Read and score afresh; write out/review.html; the page to serve (with `token`)."""
            current = load_settings(target, Path.cwd())[0] if serve and target.exists() else settings
            reviews = review_articles(read_seed_files(find_seed_files(seed_paths))[0], current, summariser)
            write_atomic(out_dir / "review.html", render_review(reviews, current).encode("utf-8"))
            return render_review(reviews, current, token, message)

        if not serve:
            fresh_page(None)
            click.echo(f"briefing: wrote {out_dir / 'review.html'}", err=True)
            return
        app = App(fresh_page, target, remake_command(target, seed_paths, out_dir), new_token(), allow_remote)
        try:
            server = make_server(host, port, app)
        except OSError as error:
            raise InputError(f"{host}:{port}", f"cannot serve here: {error.strerror or error}") from None
        app.current()
        bound = server.server_address
        click.echo(f"briefing: wrote {out_dir / 'review.html'}; review at http://{bound[0]}:{bound[1]}/ (decisions go into {target}); "
                   "Ctrl-C to stop", err=True)
        with server:
            server.serve_forever()


@main.command()
@click.argument("file", required=False, default="-", type=click.Path(allow_dash=True, path_type=str))
@click.option("--sentences", type=click.IntRange(1, 50), default=2, show_default=True,
              help="How many key sentences to print.")
@click.option("--jsonl", is_flag=True,
              help='Read JSON lines {"id": …, "text": …}; write {"id": …, "summary": […]} per line.')
@click.option("--explain", is_flag=True,
              help="Under each sentence, the signals that chose it and their weight (with --jsonl: a "
                   '"why" field).')
def summarise(file: str, sentences: int, jsonl: bool, explain: bool) -> None:
    """Print the key sentences of one article (FILE, or - for stdin), in source order.

    \b
    Examples:
      briefing summarise article.txt --sentences 3
      cat article.txt | briefing summarise -
      briefing summarise --jsonl feed.jsonl > summaries.jsonl
      briefing summarise article.txt --explain
    """
    from .summarise import Summariser

    with _errors_as_lines(interrupted="briefing: interrupted"):
        if file == "-":
            if sys.stdin.isatty():
                click.echo("briefing: reading the article from stdin (end it with Ctrl-D)", err=True)
            data, name = read_stream(sys.stdin.buffer, "<stdin>"), "<stdin>"
        else:
            data, name = read_bytes(Path(file)), file
        if jsonl:
            lines = list(_jsonl_lines(data, name))  # every line checked before anything is printed
            summariser = Summariser()
            for line in lines:
                keys = summariser.key_sentences_of_text(line["text"], sentences)
                row: dict[str, object] = {"id": line["id"], "summary": [k.text for k in keys]}
                if explain:
                    row["why"] = [dict(k.reasons) for k in keys]
                click.echo(json.dumps(row, ensure_ascii=False, allow_nan=False))
            return
        from .decode import clean_text
        from .sources import read_source

        text, _bad = clean_text(read_source(data, name, Path(file).suffix).text)
        keys = Summariser().key_sentences_of_text(text, sentences)
        if not keys:
            raise InputError(name, "no body text found (no sentence to pick)")
        for key in keys:
            click.echo(key.text)
            if explain:
                click.echo("    why: " + ", ".join(f"{cue} {weight:+.2f}" for cue, weight in key.reasons))


def _jsonl_lines(data: bytes, name: str) -> Iterator[dict[str, object]]:
    from .decode import bad_in_line, clean_text

    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise InputError(name, f"JSON lines must be UTF-8 (bad byte at {error.start})") from None
    for number, raw in enumerate(text.splitlines(), start=1):
        if not raw.strip():
            continue
        where = f"{name}:{number}"
        try:
            item = json.loads(raw, parse_constant=_no_constant)
        except RecursionError:
            raise InputError(where, "not a JSON object: nested too deeply") from None
        except ValueError as error:
            raise InputError(where, f"not a JSON object: {error}") from None
        if not isinstance(item, dict) or "text" not in item or not isinstance(item["text"], str):
            raise InputError(where, 'each line needs a "text" string (and an "id")')
        identity = item.get("id", number)
        if isinstance(identity, bool) or not isinstance(identity, (str, int)) or (
            isinstance(identity, str) and bad_in_line(identity)
        ):
            raise InputError(where, '"id" must be a whole number or a one-line string without control characters')
        yield {"id": identity, "text": clean_text(item["text"])[0]}


def _no_constant(name: str) -> object:
    raise ValueError(f"{name} is not JSON")
