"""Settings an office fixes once, from ``briefing.toml`` or ``[tool.briefing]`` in pyproject.toml.

Command-line options override the file; unknown keys are an error naming the key, so a typo
never silently falls back to a default.
"""

from __future__ import annotations

import dataclasses
import datetime
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

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


def _read_toml(path: Path) -> dict[str, object]:
    try:
        with open(path, "rb") as handle:
            return tomllib.load(handle)
    except FileNotFoundError:
        raise ConfigError(path, "no such file") from None
    except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise ConfigError(path, f"cannot read settings: {error}") from None


def settings_from_table(table: dict[str, object], source: Path) -> Settings:
    """Check every key and value type; build Settings."""
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
                if not isinstance(face, str) or not face.strip():
                    raise ConfigError(source, f"'fonts.{name}' must be a font name")
            values[key] = Fonts(**value)
        elif key == "distribution":
            if not isinstance(value, dict):
                raise ConfigError(source, "'distribution' must be a table like {报 = \"…\"}")
            bad = [k for k in value if k not in _DISTRIBUTION_KEYS]
            if bad:
                raise ConfigError(source, f"unknown setting 'distribution.{bad[0]}' (known: 报, 送, 发)")
            values[key] = {k: str(value[k]) for k in _DISTRIBUTION_KEYS if k in value}
        elif key in ("issue", "sentences", "overview", "pages"):
            least = 0 if key == "pages" else 1
            if not isinstance(value, int) or isinstance(value, bool) or value < least:
                raise ConfigError(source, f"'{key}' must be a whole number ≥ {least}")
            values[key] = value
        elif key == "picks":
            try:
                values[key] = parse_picks(value)
            except ValueError as error:
                raise ConfigError(source, str(error)) from None
        elif key == "date":
            try:
                values[key] = datetime.date.fromisoformat(str(value)).isoformat()
            except ValueError:
                raise ConfigError(source, f"'date' must be a date like 2023-01-05, not {value!r}") from None
        else:
            if not isinstance(value, str):
                raise ConfigError(source, f"'{key}' must be text")
            values[key] = value
    return Settings(**values)
