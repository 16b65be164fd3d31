"""The briefings made so far → a static archive site: an index, a page per issue, an Atom feed.

Sources are the out folders written by ``briefing make --archive``: their manifest lists the
dated copies (``2023-01-05-briefing.pdf`` …) with their SHA-256. A briefing needs its dated
``briefing.json`` (the model, with the issue number); its PDF and DOCX are linked when present.
The issue page is rendered here from that model with the briefing's own template and view.

The site only grows. Its record, ``issues.json``, lists every issue published with the SHA-256
of its files; issues already on the site are copied unchanged, never re-rendered, and a source
claiming an issue number or date the site already has (with other files) is skipped with a
warning. The next issue number is one more than the highest published (`next_issue`).

Everything is derived from the briefings alone (no clock, sorted lists), so the same briefings
give a byte-identical site. The site is built in a sibling folder and swapped in by one rename:
a failure leaves the previous site as it was.
"""

from __future__ import annotations

import ctypes
import dataclasses
import hashlib
import json
import os
import re
import shutil
import tempfile
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from markupsafe import Markup

from .config import Settings
from .errors import InputError, OutputError
from .model import Article, Briefing, Caption, Figure, KeySentence, OverviewSentence, Paragraph, Section
from .render.fonts import font_css
from .render.html import STYLESHEET, TEMPLATES, environment
from .render.view import View, build_view, plain

RECORD = "issues.json"
FEED = "feed.xml"
SITE_CSS = "site.css"
MANIFEST = "manifest.json"
LEAD_CHARS = 60
"""The index's one-line 导读 is cut to this many characters (marked …)."""
_DATED = re.compile(r"(\d{4}-\d{2}-\d{2})-briefing\.(pdf|docx|json)")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_SITE_FILE = re.compile(r"(\d{4}-\d{2}-\d{2})/(?:index\.html|\1-briefing\.(?:pdf|docx))")
_MAX_JSON = 64 << 20
_FORMATS = ("pdf", "docx")
_NAMESPACE = uuid.UUID("5b0f4c35-6c0e-4d6e-9a43-1f1b3c2e8a77")
"""Entry ids are UUIDs in this namespace, from the briefing's name, issue and date: stable
wherever the site is served."""


@dataclass(frozen=True, slots=True)
class Issue:
    """One issue as the site lists it; `files` maps a site path to its SHA-256."""

    issue: int
    date: str
    name: str
    unit: str
    title: str
    date_text: str
    regions: tuple[str, ...]
    lead: str
    overview: tuple[str, ...]
    files: dict[str, str]

    @property
    def folder(self) -> str:
        return self.date

    def link(self, format: str) -> str | None:
        path = f"{self.folder}/{self.date}-briefing.{format}"
        return path if path in self.files else None

    @property
    def updated(self) -> str:
        return f"{self.date}T00:00:00+08:00"

    @property
    def entry_id(self) -> str:
        return f"urn:uuid:{uuid.uuid5(_NAMESPACE, f'{self.name}|{self.issue}|{self.date}')}"


@dataclass(frozen=True, slots=True)
class NewIssue:
    """An issue from an archive folder: its record and the bytes of its files on the site."""

    record: Issue
    data: dict[str, bytes]
    source: Path


# --- reading the sources -------------------------------------------------------------------------


def read_site(site: Path) -> list[Issue]:
    """The issues already published in `site` (empty for a new site)."""
    path = site / RECORD
    if not site.exists():
        return []
    if not site.is_dir():
        raise OutputError(site, "is not a folder")
    if not path.exists():
        if any(site.iterdir()):  # never swap away a folder of someone else's files
            raise OutputError(site, f"holds files but no {RECORD}: not a site of briefing publish; give a new folder")
        return []
    try:
        rows = json.loads(_read(path, _MAX_JSON))
        issues = [_issue_from_record(row) for row in rows]
    except (OSError, ValueError, TypeError, KeyError, AttributeError, RecursionError) as error:
        raise InputError(path, f"not a site record this version can read ({error}); publish into a new folder") from None
    for issue in issues:
        for name, digest in issue.files.items():
            if _sha256(site / name) != digest:
                raise InputError(site / name, "missing or changed since it was published (SHA-256 differs)")
    return issues


def _issue_from_record(row: dict) -> Issue:
    """One row of ``issues.json``, checked: its files are only the names publish writes."""
    values = {f.name: row[f.name] for f in dataclasses.fields(Issue)}
    issue = Issue(**{**values, "regions": tuple(map(str, values["regions"])),
                     "overview": tuple(map(str, values["overview"])), "issue": int(values["issue"]),
                     "files": {str(k): str(v) for k, v in values["files"].items()}})
    if not _DATE.fullmatch(issue.date) or not all(_SITE_FILE.fullmatch(n) and n.startswith(f"{issue.date}/")
                                                  for n in issue.files):
        raise ValueError(f"第{issue.issue}期 names files publish does not write")
    return issue


def read_archive(folder: Path, settings: Settings, warn: Callable[[str], None]) -> list[NewIssue]:
    """The briefings archived in one out folder; damaged ones are warned about and skipped."""
    manifest_path = folder / MANIFEST
    try:
        manifest = json.loads(_read(manifest_path, 1 << 20))
        documents = manifest["documents"]
        if not isinstance(documents, dict):
            raise TypeError("documents is not a table")
    except FileNotFoundError:
        warn(f"{manifest_path}: no manifest; make the briefings with --archive")
        return []
    except (OSError, ValueError, TypeError, KeyError, RecursionError) as error:
        warn(f"{manifest_path}: damaged manifest ({error}); its briefings are left out")
        return []
    by_date: dict[str, dict[str, bytes]] = {}
    for name in sorted(documents):
        match = _DATED.fullmatch(name) if isinstance(name, str) else None
        entry = documents[name]
        if match is None or not isinstance(entry, dict):
            continue
        try:
            data = _read(folder / name, _MAX_JSON << 4)
        except OSError:
            warn(f"{folder / name}: listed in the manifest but missing; left out")
            continue
        if hashlib.sha256(data).hexdigest() != entry.get("sha256"):
            warn(f"{folder / name}: does not match its SHA-256 in the manifest; left out")
            continue
        by_date.setdefault(match[1], {})[match[2]] = data
    found = []
    for date, files in sorted(by_date.items()):
        if "json" not in files:
            warn(f"{folder / f'{date}-briefing.json'}: missing (make with --format all); {date} left out")
            continue
        try:
            found.append(_new_issue(folder / f"{date}-briefing.json", date, files, settings))
        except (ValueError, TypeError, KeyError, AttributeError, IndexError, RecursionError) as error:
            warn(f"{folder / f'{date}-briefing.json'}: not a briefing this version can read ({error}); left out")
    return found


def _new_issue(path: Path, date: str, files: dict[str, bytes], settings: Settings) -> NewIssue:
    data = json.loads(files["json"])
    briefing = briefing_from_json(data)
    if briefing.date != date:
        raise ValueError(f"its date {briefing.date} is not the file name's")
    settings = dataclasses.replace(
        settings, name=str(data.get("name", settings.name)), unit=str(data.get("unit", settings.unit)),
        issue=int(data["issue"]),
    )
    view = build_view(briefing, settings)
    folder = date
    site_files = {f"{folder}/{date}-briefing.{fmt}": files[fmt] for fmt in _FORMATS if fmt in files}
    site_files[f"{folder}/index.html"] = issue_page(view, settings, [f for f in _FORMATS if f in files])
    lines = tuple(
        (f"{o.region}　" if o.region else "") + f"《{o.title}》" + (f"：{plain(o.text)}" if o.text else "")
        for o in view.overview
    )
    first = plain(view.overview[0].text) if view.overview and view.overview[0].text else ""
    record = Issue(
        issue=settings.issue, date=date, name=settings.name, unit=view.unit, title=view.title,
        date_text=view.date, regions=tuple(dict.fromkeys(o.region for o in view.overview if o.region)),
        lead=first if len(first) <= LEAD_CHARS else first[: LEAD_CHARS - 1] + "…",
        overview=lines, files={name: hashlib.sha256(b).hexdigest() for name, b in sorted(site_files.items())},
    )
    return NewIssue(record, site_files, path)


def briefing_from_json(data: dict) -> Briefing:
    """The model back from ``briefing.json``, as the pages printed it (``printed`` picks only)."""
    articles = tuple(_article(a) for a in data["articles"])
    return Briefing(title=str(data["title"]), date=str(data["date"]), articles=articles,
                    warnings=tuple(data.get("warnings", ())))


def _fields(cls: type, row: dict, **given: object) -> dict[str, object]:
    """The model fields `row` holds under their own names (lists as tuples), then `given`.

    Fields the JSON adds later are carried over without a change here."""
    names = {f.name for f in dataclasses.fields(cls)}
    found = {k: tuple(v) if isinstance(v, list) else v for k, v in row.items() if k in names}
    return {**found, **given}


def _article(a: dict) -> Article:
    captions = tuple(Caption(t, line) for t, line in zip(a.get("captions", ()), a.get("caption_lines", ()), strict=False))
    overview = tuple(OverviewSentence(**_fields(OverviewSentence, o)) for o in a.get("overview", ()))
    return Article(**_fields(Article, a, captions=captions, overview=overview,
                             sections=tuple(_section(s) for s in a["sections"])))


def _section(s: dict) -> Section:
    lines = s.get("paragraph_lines") or [[0]] * len(s["paragraphs"])
    paragraphs = tuple(
        Paragraph(text, tuple(sentences), tuple(line))
        for text, sentences, line in zip(s["paragraphs"], s["sentences"], lines, strict=True)
    )
    keys = [k for k in s["key_sentences"] if k.get("printed", True)]
    dropped = {(k["paragraph"], k["sentence"]) for k in s["key_sentences"] if not k.get("printed", True)}
    figures = tuple(
        Figure(**_fields(Figure, f, value=float(f["value"]), start=_start(paragraphs, f)))
        for f in s["figures"]
        if f.get("printed", (f["paragraph"], f["sentence"]) not in dropped)  # older JSON: a left-out sentence took its figures
    )
    return Section(
        heading=s["heading"], heading_line=s.get("heading_line"), paragraphs=paragraphs,
        key_sentences=tuple(KeySentence(**_fields(KeySentence, k, reasons=tuple(k.get("why", {}).items())))
                            for k in keys),
        figures=figures,
    )


def _start(paragraphs: tuple[Paragraph, ...], figure: dict) -> int:
    try:
        return max(paragraphs[figure["paragraph"]].sentences[figure["sentence"]].find(figure["text"]), 0)
    except IndexError:
        return 0


# --- merging -----------------------------------------------------------------------------------


def merge(published: list[Issue], found: Sequence[NewIssue], warn: Callable[[str], None]) -> list[NewIssue]:
    """The new issues to add: those whose number and date the site (or an earlier source) has
    not taken. The same briefing found twice is added once, quietly."""
    taken = {i.issue: i for i in published} | {i.date: i for i in published}  # type: ignore[operator]
    added: list[NewIssue] = []
    for new in found:
        record = new.record
        clash = taken.get(record.issue) or taken.get(record.date)  # type: ignore[call-overload]
        if clash is None:
            added.append(new)
            taken[record.issue] = taken[record.date] = record  # type: ignore[index]
        elif clash != record:
            warn(f"{new.source}: 第{record.issue}期 of {record.date} clashes with the published "
                 f"第{clash.issue}期 of {clash.date}; the published one is kept")
    return added


def next_issue(published: Sequence[Issue], found: Sequence[NewIssue] = ()) -> int:
    """One more than the highest issue number published or archived; 1 for a new series."""
    return max([i.issue for i in published] + [n.record.issue for n in found], default=0) + 1


# --- writing -----------------------------------------------------------------------------------


def issue_page(view: View, settings: Settings, formats: Sequence[str]) -> bytes:
    """The reading view: the briefing's own template and view, with the site's bar and CSS."""
    css = Markup(font_css(settings.fonts) + (TEMPLATES / STYLESHEET).read_text("utf-8"))
    page = environment().get_template("site/issue.html.j2").render(v=view, css=css, formats=formats)
    return page.encode("utf-8")


def site_files(issues: Sequence[Issue], base_url: str) -> dict[str, bytes]:
    """Index, feed, stylesheet and record for these issues (newest first)."""
    env = environment()
    ordered = sorted(issues, key=lambda i: (i.date, i.issue), reverse=True)
    record = [dataclasses.asdict(i) for i in ordered]
    base = base_url.rstrip("/") + "/" if base_url else ""
    name = ordered[0].name if ordered else "简报"
    context = {"issues": ordered, "base": base, "name": name, "feed_id": f"urn:uuid:{uuid.uuid5(_NAMESPACE, name)}"}
    return {
        "index.html": env.get_template("site/index.html.j2").render(**context).encode("utf-8"),
        FEED: env.get_template("site/feed.xml.j2").render(**context).encode("utf-8"),
        SITE_CSS: (TEMPLATES / "site" / SITE_CSS).read_bytes(),
        RECORD: (json.dumps(record, ensure_ascii=False, indent=2) + "\n").encode("utf-8"),
    }


def build_site(site: Path, archives: Sequence[Path], settings: Settings, base_url: str,
               warn: Callable[[str], None]) -> list[Issue]:
    """Publish the archived briefings into `site`; the issues it lists, newest first."""
    site = site.resolve()  # a link to the site: the folder it points to is the one swapped
    published = read_site(site)
    found = [new for folder in archives for new in read_archive(folder, settings, warn)]
    added = merge(published, found, warn)
    issues = published + [n.record for n in added]
    files = site_files(issues, base_url)
    _swap_in(site, files, added, published)
    return sorted(issues, key=lambda i: (i.date, i.issue), reverse=True)


def _swap_in(site: Path, files: dict[str, bytes], added: Sequence[NewIssue], kept: Sequence[Issue]) -> None:
    """Write the whole new site beside `site`, then exchange the two folders in one step."""
    parent = site.resolve().parent
    if site.exists() and not site.is_dir():
        raise OutputError(site, "is not a folder")
    try:
        parent.mkdir(parents=True, exist_ok=True)
        fresh = Path(tempfile.mkdtemp(prefix=f".{site.name}.new-", dir=parent))
    except OSError as error:
        raise OutputError(site, f"cannot write beside it: {error.strerror or error}") from None
    try:
        os.chmod(fresh, 0o755)
        for issue in kept:
            for name in issue.files:
                (fresh / name).parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(site / name, fresh / name)
        for new in added:
            for name, data in new.data.items():
                _write(fresh / name, data)
        for name, data in files.items():
            _write(fresh / name, data)
        _exchange(fresh, site)
    except OSError as error:
        shutil.rmtree(fresh, ignore_errors=True)
        raise OutputError(site, f"{error.strerror or error}; the previous site is unchanged") from None
    except BaseException:
        shutil.rmtree(fresh, ignore_errors=True)
        raise
    shutil.rmtree(fresh, ignore_errors=True)  # now the old site


def _write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    os.chmod(path, 0o644)


def _exchange(fresh: Path, site: Path) -> None:
    """Swap `fresh` and `site` atomically (renameat2 RENAME_EXCHANGE); a new site is a rename.

    Where the kernel or file system cannot exchange, two renames: the old site is moved aside
    first, so an interruption between them leaves it whole under ``.<name>.old``."""
    if not site.exists():
        os.rename(fresh, site)
        os.mkdir(fresh)  # the caller removes it as the old site
        return
    libc = ctypes.CDLL(None, use_errno=True)
    renameat2 = getattr(libc, "renameat2", None)
    if renameat2 is not None:
        at_fdcwd, rename_exchange = -100, 2
        if renameat2(at_fdcwd, os.fsencode(fresh), at_fdcwd, os.fsencode(site), rename_exchange) == 0:
            return
    aside = site.with_name(f".{site.name}.old")
    shutil.rmtree(aside, ignore_errors=True)
    os.rename(site, aside)
    os.rename(fresh, site)
    os.rename(aside, fresh)


def _read(path: Path, limit: int) -> bytes:
    with open(path, "rb") as handle:
        data = handle.read(limit + 1)
    if len(data) > limit:
        raise ValueError("too large")
    return data


def _sha256(path: Path) -> str | None:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None
