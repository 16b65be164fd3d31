"""Plain-text seeds: bytes → text, with an optional front-matter block naming where it came from.

    ---
    paper: 人民政协报
    date: 2023-01-05
    page: 3
    url: https://…
    ---

The block's lines are blanked, not removed, so every line number the reader records is still
the line of the file.
"""

from __future__ import annotations

import datetime as _dt
import re

from ..decode import decode_bytes
from ..errors import InputError
from . import Source

FRONT_MATTER_KEYS = ("paper", "date", "page", "url")
_FENCE = "---"
MAX_FRONT_MATTER = 20
_KEY_VALUE = re.compile(r"^\s*([A-Za-z_][\w-]*)\s*[:：]\s*(.*?)\s*$")


def read_text(data: bytes, name: str) -> Source:
    """A ``.txt`` seed: strictly decoded text (see `decode`), its front matter as metadata."""
    text, _encoding = decode_bytes(data, name)
    text, meta = split_front_matter(text, name)
    return Source(text, meta, meta_wins=True)


def split_front_matter(text: str, name: str) -> tuple[str, dict[str, str]]:
    """Take a leading ``---`` block of ``key: value`` lines out of `text` (its lines left blank).

    Unknown keys, a malformed line or a bad date are an InputError naming the file and line. A
    first line ``---`` without a closing one in the next `MAX_FRONT_MATTER` lines is text (a
    rule some articles open with), not front matter.
    """
    lines = text.split("\n")
    fences = [i for i, line in enumerate(lines[:MAX_FRONT_MATTER]) if line.strip().lstrip("\ufeff") == _FENCE]
    if len(fences) < 2 or fences[0] != 0:
        return text, {}
    meta: dict[str, str] = {}
    for number, line in enumerate(lines[1 : fences[1]], start=2):
        if not line.strip():
            continue
        match = _KEY_VALUE.match(line)
        if not match:
            raise InputError(f"{name}:{number}", f"front matter: expected 'key: value', got {line.strip()[:40]!r}")
        key, value = match.group(1).lower(), match.group(2)
        if key not in FRONT_MATTER_KEYS:
            raise InputError(
                f"{name}:{number}", f"front matter: unknown key {key!r} (known: {', '.join(FRONT_MATTER_KEYS)})"
            )
        if value:
            meta[key] = check_meta(key, value, f"{name}:{number}")
    # The block's lines are blanked, not removed: line numbers stay the file's.
    return "\n".join([""] * (fences[1] + 1) + lines[fences[1] + 1 :]), meta


def check_meta(key: str, value: str, where: str) -> str:
    """A metadata value in the model's form: paper without 《》, date as YYYY-MM-DD, page digits."""
    value = " ".join(value.split())
    if key == "paper":
        value = value.strip("《》<> ")
    elif key == "date":
        date = parse_date(value)
        if date is None:
            raise InputError(where, f"date: {value!r} is not a date like 2023-01-05")
        value = date
    elif key == "page":
        value = re.sub(r"^第\s*|\s*版$", "", value)
    elif key == "url" and not re.match(r"^https?://\S+$", value):
        raise InputError(where, f"url: {value!r} is not an http(s) address")
    return value


_DATE = re.compile(r"(\d{4})\s*(?:年|[-./])\s*(\d{1,2})\s*(?:月|[-./])\s*(\d{1,2})")


def parse_date(value: str) -> str | None:
    """``2023-01-05``, ``2023年1月5日``, ``2023/1/5`` or an ISO time → ``2023-01-05``; else None."""
    match = _DATE.search(value)
    if not match:
        return None
    try:
        return _dt.date(*(int(part) for part in match.groups())).isoformat()
    except ValueError:
        return None
