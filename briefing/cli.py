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
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import click

from . import __version__
from .config import Settings, load_settings, page_budget, unit_is_set
from .errors import BriefingError, InputError, OutputError
from .output import check_folder, write_atomic
from .pipeline import (
    build_briefing,
    collect_seeds,
    decisions,
    find_seed_files,
    overlapped,
    read_bytes,
    read_seed_list,
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
def _errors_as_lines() -> Iterator[None]:
    """BriefingError → ``briefing: error: <path>: <problem>`` and exit code 1."""
    try:
        yield
    except BriefingError as error:
        click.echo(f"briefing: error: {error}", err=True)
        sys.exit(1)
    except KeyboardInterrupt:
        # Objects torn down after Ctrl-C (WeasyPrint's font configuration) may complain while
        # the interpreter exits; the one line below is all the user needs to read.
        sys.unraisablehook = lambda _unraisable: None
        click.echo("briefing: interrupted; documents already written are complete, none is half-written", err=True)
        sys.exit(130)


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
@click.option("--title", default=None, help="The briefing's title; default built from the articles.")
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
            articles, warnings = overlapped(work, lambda: load_writers(chosen, settings))
        else:
            articles, warnings = work()
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
        written, failures = write_documents(briefing, settings, chosen, out_dir, archive, report.say)
        if written:
            write_manifest(out_dir, written, files, briefing, decided)
        if failures:
            raise _one_error(failures)


def _check_date(value: str | None) -> str | None:
    """A bad --date is a usage error (exit 2), like any other bad option value."""
    if value is not None:
        try:
            return _dt.date.fromisoformat(value).isoformat()
        except ValueError:
            raise click.BadParameter(f"{value!r} is not a date like 2023-01-05", param_hint="'--date'") from None
    return value


def _override(settings: Settings, **values: object) -> Settings:
    """Command-line options win over the settings file where given."""
    given = {k: v for k, v in values.items() if v is not None}
    return dataclasses.replace(settings, **given)


def _check_environment(formats: Sequence[str]) -> None:
    """Fail early, in one line, if PDF output would print tofu or take many seconds."""
    if "pdf" in formats:
        from .render.pdf import check_pdf_environment

        check_pdf_environment()


@dataclasses.dataclass(frozen=True)
class Written:
    format: str
    path: Path
    size: int
    sha256: str
    pages: int | None


def write_documents(
    briefing, settings: Settings, formats: Sequence[str], out_dir: Path, archive: bool,
    say: Callable[[str], None],
) -> tuple[list[Written], list[OutputError]]:  # type: ignore[no-untyped-def]
    """Render each format and write it atomically; a failure leaves the old file in place.

    Returns what was written and what failed, so the manifest still lists what was written."""
    from .render import WRITERS, render_all

    paths = [out_dir / f"briefing{WRITERS[name][2]}" for name in formats]
    written = []
    failures = []
    for name, path, document in zip(formats, paths, render_all(formats, briefing, settings, paths), strict=True):
        suffix = WRITERS[name][2]
        if isinstance(document, OutputError):
            failures.append(document)
            continue
        try:
            write_atomic(path, document.data)
            if archive:
                write_atomic(out_dir / f"{briefing.date}-briefing{suffix}", document.data)
        except OutputError as error:
            failures.append(error)
            continue
        say(f"wrote {path} ({_size(len(document.data))}" + (f", {document.pages} pages)" if document.pages else ")"))
        written.append(
            Written(name, path, len(document.data), hashlib.sha256(document.data).hexdigest(), document.pages)
        )
    return written, failures


def _one_error(failures: Sequence[OutputError]) -> OutputError:
    """Several formats failing (often for one reason) still make one line."""
    first = failures[0]
    if len(failures) == 1:
        return first
    others = ", ".join(Path(f.path).name for f in failures[1:])
    return OutputError(first.path, f"{first.problem} (also failed: {others})")


def _size(count: int) -> str:
    return f"{count / 1024:.0f} KB" if count >= 1024 else f"{count} bytes"


def write_manifest(out_dir: Path, written: Sequence[Written], files: Sequence[Path], briefing,  # type: ignore[no-untyped-def]
                   decided: dict[str, list[str]] | None = None) -> None:
    """``out/manifest.json``: each document's size, SHA-256 and pages, the sources used, and the
    editor's decisions (``[picks]``) applied."""
    manifest_path = out_dir / "manifest.json"
    sources = [_source_record(p) for p in files]
    documents: dict[str, object] = {}
    try:
        previous = json.loads(manifest_path.read_text("utf-8"))
    except (OSError, ValueError):
        previous = None
    if isinstance(previous, dict) and (previous.get("date"), previous.get("sources")) == (briefing.date, sources):
        # Other formats of the same briefing (an earlier --format json, say) stay listed while
        # their files are still the ones recorded.
        for name, entry in dict(previous.get("documents") or {}).items():
            path = out_dir / name
            if isinstance(entry, dict) and path.is_file() and _sha256(path) == entry.get("sha256"):
                documents[name] = entry
    for item in written:
        documents[item.path.name] = {
            "format": item.format,
            "size": item.size,
            "sha256": item.sha256,
            "pages": item.pages,
        }
    manifest = {
        "title": briefing.title,
        "date": briefing.date,
        "documents": dict(sorted(documents.items())),
        "sources": sources,
        "picks": decided or {"pinned": [], "dropped": [], "unmatched": []},
    }
    data = (json.dumps(manifest, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
    write_atomic(manifest_path, data)


def _source_record(seed) -> dict[str, str]:  # type: ignore[no-untyped-def]
    """A seed file's path and SHA-256; a fetched page's address, cached copy, time and SHA-256."""
    from .pipeline import display_path

    if isinstance(seed, Path):
        return {"path": display_path(seed), "sha256": _sha256(seed)}
    return dict(seed.record(), path=display_path(seed.path))


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


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

    with _errors_as_lines():
        data = sys.stdin.buffer.read() if file == "-" else read_bytes(Path(file))
        name = "<stdin>" if file == "-" else file
        summariser = Summariser()
        if jsonl:
            for line in _jsonl_lines(data, name):
                keys = summariser.key_sentences_of_text(line["text"], sentences)
                row: dict[str, object] = {"id": line["id"], "summary": [k.text for k in keys]}
                if explain:
                    row["why"] = [dict(k.reasons) for k in keys]
                click.echo(json.dumps(row, ensure_ascii=False))
            return
        from .decode import clean_text
        from .sources import read_source

        text, _bad = clean_text(read_source(data, name, Path(file).suffix).text)
        for key in summariser.key_sentences_of_text(text, sentences):
            click.echo(key.text)
            if explain:
                click.echo("    why: " + ", ".join(f"{name} {weight:+.2f}" for name, weight in key.reasons))


def _jsonl_lines(data: bytes, name: str) -> Iterator[dict[str, str]]:
    from .decode import clean_text

    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise InputError(name, f"JSON lines must be UTF-8 (bad byte at {error.start})") from None
    for number, raw in enumerate(text.splitlines(), start=1):
        if not raw.strip():
            continue
        try:
            item = json.loads(raw)
        except ValueError as error:
            raise InputError(f"{name}:{number}", f"not a JSON object: {error}") from None
        if not isinstance(item, dict) or "text" not in item or not isinstance(item["text"], str):
            raise InputError(f"{name}:{number}", 'each line needs a "text" string (and an "id")')
        yield {"id": item.get("id", number), "text": clean_text(item["text"])[0]}
