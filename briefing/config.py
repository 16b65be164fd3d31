"""Settings an office fixes once, from ``briefing.toml`` or ``[tool.briefing]`` in pyproject.toml.

Command-line options override the file; unknown keys are an error naming the key, so a typo
never silently falls back to a default.
"""

from __future__ import annotations

import dataclasses
import datetime
import os
import stat
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from .decode import bad_in_line
from .errors import ConfigError
from .picks import Picks, parse_picks


@dataclass(frozen=True, slots=True)
class Fonts:
    """One font per role. CSS stacks list the Windows/WPS faces first, then free fallbacks."""

    title: str = "方正小标宋简体"
    heading: str = "黑体"
    body: str = "仿宋"
    kai: str = "楷体"
    figures: str = "仿宋"


@dataclass(frozen=True, slots=True)
class Settings:
    """Everything that shapes one briefing besides its seed files."""

    name: str = "政协工作简报"
    """The briefing's name in the red masthead."""
    unit: str = ""
    """Issuing unit, left under the masthead; also the PDF/DOCX author. Unset: left blank, with a warning."""
    issue: int = 1
    """第N期."""
    date: str | None = None
    """YYYY-MM-DD; None means SOURCE_DATE_EPOCH, else today."""
    title: str | None = None
    """The briefing's title; None builds one from the articles' regions."""
    sentences: int = 4
    """At most this many key sentences per section; each section gets what its size deserves
    (see `summarise.pick_count`: 2 from a long section, 1 from a short one, 4 without headings)."""
    overview: int = 1
    """Overview (导读) sentences per article, never also printed as key sentences."""
    pages: int | None = None
    """Page budget: at most this many pages, the lowest-ranked picks left out; 0 means no limit,
    None 2 pages per article."""
    fonts: Fonts = field(default_factory=Fonts)
    distribution: dict[str, str] = field(default_factory=dict)
    """报/送/发 lines at the foot of the last page, e.g. {"报": "市委办公室", "送": "…"}."""
    picks: Picks = field(default_factory=Picks)
    """An editor's decisions, ``[picks]``: sentence and figure ids pinned (always in) or dropped."""


PLACEHOLDER_UNIT = "编印单位"
"""What old settings files and templates put for the unit; printed nowhere."""
PAGES_PER_ARTICLE = 2


def unit_is_set(settings: Settings) -> bool:
    """False when no issuing unit was given (or only the old placeholder)."""
    return bool(settings.unit.strip()) and settings.unit.strip() != PLACEHOLDER_UNIT


def page_budget(settings: Settings, articles: int) -> int:
    """The page limit for a briefing of this many articles; 0 means none."""
    if settings.pages is not None:
        return settings.pages
    return PAGES_PER_ARTICLE * max(articles, 1)


_TOP_KEYS = {f.name for f in dataclasses.fields(Settings)}
_FONT_KEYS = {f.name for f in dataclasses.fields(Fonts)}
_DISTRIBUTION_KEYS = ("报", "送", "发")


def load_settings(path: Path | None, cwd: Path) -> tuple[Settings, Path | None]:
    """Read settings from `path`, else ``briefing.toml``, else pyproject's ``[tool.briefing]``."""
    table: dict[str, object] = {}
    source: Path | None = None
    if path is not None:
        table, source = _read_toml(path), path
    elif (cwd / "briefing.toml").is_file():
        source = Path("briefing.toml")
        table = _read_toml(cwd / source)
    elif (cwd / "pyproject.toml").is_file():
        data = _read_toml(cwd / "pyproject.toml")
        tool = data.get("tool", {})
        if isinstance(tool, dict) and "briefing" in tool:
            source = Path("pyproject.toml [tool.briefing]")
            table = tool["briefing"]
            if not isinstance(table, dict):
                raise ConfigError(source, "must be a table")
    return settings_from_table(table, source or Path("<defaults>")), source


MAX_SETTINGS_BYTES = 1 << 20
# Bounds shared with the command line's options, so a settings file is no looser.
BOUNDS = {"issue": (1, 100000), "sentences": (1, 20), "overview": (1, 20), "pages": (0, 10000)}
MAX_TEXT = {"title": 200, "name": 100, "unit": 100}
MAX_FONT_NAME = 100
MAX_DISTRIBUTION = 500
FIRST_DATE = datetime.date(1980, 1, 1)
LAST_DATE = datetime.date(2107, 12, 31)
"""A DOCX is a ZIP file, and ZIP stores no date outside these."""


def _read_toml(path: Path) -> dict[str, object]:
    """A settings file: a regular file up to 1 MB, UTF-8 (a BOM is allowed), TOML."""
    try:
        handle = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
    except FileNotFoundError:
        raise ConfigError(path, "no such file") from None
    except OSError as error:
        raise ConfigError(path, f"cannot read settings: {error.strerror or error}") from None
    try:
        with os.fdopen(handle, "rb") as stream:
            if not stat.S_ISREG(os.fstat(stream.fileno()).st_mode):
                raise ConfigError(path, "not a regular file")
            data = stream.read(MAX_SETTINGS_BYTES + 1)
    except OSError as error:
        raise ConfigError(path, f"cannot read settings: {error.strerror or error}") from None
    if len(data) > MAX_SETTINGS_BYTES:
        raise ConfigError(path, f"larger than {MAX_SETTINGS_BYTES // 2**20} MB; not a settings file")
    try:
        return tomllib.loads(data.decode("utf-8-sig"))
    except UnicodeDecodeError as error:
        raise ConfigError(path, f"not UTF-8 text (bad byte at {error.start})") from None
    except (tomllib.TOMLDecodeError, RecursionError) as error:
        raise ConfigError(path, f"cannot read settings: {error}") from None


def check_text(value: object, key: str, limit: int) -> str:
    """A one-line text value: a string, not blank, no control or bidi characters, not too long.

    Raises ValueError with the problem (the caller names the file or option)."""
    if not isinstance(value, str):
        raise ValueError(f"'{key}' must be text")
    bad = bad_in_line(value)
    if bad is not None:
        raise ValueError(f"'{key}' holds the control character {bad}; remove it")
    if not value.strip():
        raise ValueError(f"'{key}' is blank")
    if len(value) > limit:
        raise ValueError(f"'{key}' is {len(value)} characters long; the limit is {limit}")
    return value


def check_date(value: object, key: str = "date") -> str:
    """YYYY-MM-DD within FIRST_DATE … LAST_DATE; ValueError with the problem otherwise."""
    try:
        day = datetime.date.fromisoformat(str(value))
    except ValueError:
        raise ValueError(f"'{key}' must be a date like 2023-01-05, not {value!r}") from None
    if not FIRST_DATE <= day <= LAST_DATE:
        raise ValueError(f"'{key}' must be between {FIRST_DATE} and {LAST_DATE} (a DOCX cannot store {day})")
    return day.isoformat()


def settings_from_table(table: dict[str, object], source: Path) -> Settings:
    """Check every key, value type and bound; build Settings."""
    try:
        return _settings(table, source)
    except ValueError as error:
        raise ConfigError(source, str(error)) from None


def _settings(table: dict[str, object], source: Path) -> Settings:
    unknown = sorted(set(table) - _TOP_KEYS)
    if unknown:
        raise ConfigError(source, f"unknown setting {unknown[0]!r} (known: {', '.join(sorted(_TOP_KEYS))})")
    values: dict[str, object] = {}
    for key, value in table.items():
        if key == "fonts":
            if not isinstance(value, dict):
                raise ConfigError(source, "'fonts' must be a table")
            bad = sorted(set(value) - _FONT_KEYS)
            if bad:
                raise ConfigError(source, f"unknown setting 'fonts.{bad[0]}' (known: {', '.join(sorted(_FONT_KEYS))})")
            for name, face in value.items():
                check_text(face, f"fonts.{name}", MAX_FONT_NAME)
            values[key] = Fonts(**value)
        elif key == "distribution":
            if not isinstance(value, dict):
                raise ConfigError(source, "'distribution' must be a table like {报 = \"…\"}")
            bad = [k for k in value if k not in _DISTRIBUTION_KEYS]
            if bad:
                raise ConfigError(source, f"unknown setting 'distribution.{bad[0]}' (known: 报, 送, 发)")
            values[key] = {
                k: check_text(value[k], f"distribution.{k}", MAX_DISTRIBUTION) for k in _DISTRIBUTION_KEYS if k in value
            }
        elif key in BOUNDS:
            low, high = BOUNDS[key]
            if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
                raise ConfigError(source, f"'{key}' must be a whole number from {low} to {high}")
            values[key] = value
        elif key == "picks":
            try:
                values[key] = parse_picks(value)
            except ValueError as error:
                raise ConfigError(source, str(error)) from None
        elif key == "date":
            values[key] = check_date(value)
        else:
            values[key] = check_text(value, key, MAX_TEXT[key])
    return Settings(**values)
