"""The one place that says which font each role uses, in the PDF/HTML and in the DOCX.

Roles: ``title`` (小标宋, the masthead and title), ``heading`` (黑体, first-level headings),
``kai`` (楷体: second-level headings, source lines, remarks), ``body`` (仿宋) and ``figures``
(the tables).

* DOCX names exactly one face per role, the name a Chinese Windows/WPS user has installed
  (``Settings.fonts``); the reader's machine supplies it. Its font table names the free face
  as ``altName`` (see `FREE`).
* CSS gets a stack per role, in this order: the configured face, its other Windows/WPS names,
  the free faces that ``scripts/setup.sh`` installs for that role (`FREE`), then Noto CJK,
  which covers every character the others lack, so WeasyPrint never prints tofu.

The CSS is produced here (not in a template) and quoted by `_css_string`, because Jinja2
autoescaping would turn the quotes of a ``font-family`` into ``&#34;`` and WeasyPrint would
silently drop the rule (RENDERING.md).
"""

from __future__ import annotations

import ctypes
import ctypes.util
import functools
import re

from ..config import Fonts

ROLES = ("title", "heading", "kai", "body", "figures")

SERIF = "Noto Serif CJK SC"
SANS = "Noto Sans CJK SC"

# Other names the same official faces go by (Windows, WPS, Founder).
ALIASES: dict[str, tuple[str, ...]] = {
    "title": ("方正小标宋简体", "方正小标宋_GBK", "FZXiaoBiaoSong-B05S", "华文中宋", "STZhongsong"),
    "heading": ("黑体", "SimHei", "方正黑体_GBK"),
    "kai": ("楷体", "楷体_GB2312", "KaiTi", "KaiTi_GB2312", "方正楷体_GBK"),
    "body": ("仿宋", "仿宋_GB2312", "FangSong", "FangSong_GB2312", "方正仿宋_GBK"),
    "figures": ("仿宋", "仿宋_GB2312", "FangSong", "FangSong_GB2312"),
}
# The free faces that stand in for each role, best first (README: "Fonts"). The title's
# Noto Serif is set bold, the nearest free weight to 小标宋 in fonts-noto-cjk.
FREE: dict[str, tuple[str, ...]] = {
    "title": (SERIF,),
    "heading": (SANS,),
    "kai": ("AR PL UKai CN", "LXGW WenKai"),
    "body": ("FandolFang",),
    "figures": ("FandolFang",),
}
LAST_RESORT: dict[str, tuple[str, ...]] = {role: (SERIF, SANS) for role in ROLES} | {"heading": (SANS, SERIF)}
FREE_FACES = frozenset(name for names in (*FREE.values(), *LAST_RESORT.values()) for name in names)

APT_LINE = "sudo apt-get install -y fonts-noto-cjk fonts-arphic-ukai libharfbuzz-subset0"


def stack(role: str, fonts: Fonts) -> tuple[str, ...]:
    """The CSS family stack for `role`: configured face first, free faces last, no repeats."""
    names = [getattr(fonts, role), *ALIASES[role], *FREE[role], *LAST_RESORT[role]]
    return tuple(dict.fromkeys(n.strip() for n in names if n.strip()))


def face_used(role: str, fonts: Fonts) -> str | None:
    """The first family of the role's stack that fontconfig has (what WeasyPrint will set)."""
    installed = installed_families()
    return next((name for name in stack(role, fonts) if name in installed), None)


def fallback_only(role: str, fonts: Fonts) -> bool:
    """True when none of the role's official faces is installed, so a free face stands in.

    The free serif is light next to 小标宋, so the title is set bold only then (bolding the
    real 小标宋 would make Pango embolden it synthetically).
    """
    return face_used(role, fonts) in FREE_FACES | {None}


def stand_ins(fonts: Fonts) -> tuple[tuple[str, str], ...]:
    """(official face, free face standing in for it) for every role set in a free face, once each."""
    pairs: dict[str, str] = {}
    for role in ROLES:
        used = face_used(role, fonts)
        if used in FREE_FACES:
            bold = " Bold" if role == "title" else ""
            pairs.setdefault(getattr(fonts, role), used + bold)
    return tuple(pairs.items())


def stand_in_line(fonts: Fonts) -> str | None:
    """One line for `make` to print: which free face stood in for which official face."""
    pairs = stand_ins(fonts)
    if not pairs:
        return None
    return "free faces stand in for fonts not installed: " + ", ".join(f"{a} → {b}" for a, b in pairs)


def font_css(fonts: Fonts) -> str:
    """``:root`` custom properties with each role's stack; the static CSS uses ``var(--font-…)``."""
    lines = [":root {"]
    for role in ROLES:
        families = ", ".join(_css_string(name) for name in stack(role, fonts))
        generic = "sans-serif" if role == "heading" else "serif"
        lines.append(f"  --font-{role}: {families}, {generic};")
    lines.append(f"  --title-weight: {700 if fallback_only('title', fonts) else 400};")
    lines.append("}")
    return "\n".join(lines) + "\n"


def _css_string(name: str) -> str:
    """A family name as a CSS string; anything but letters, digits, space, _ and - is dropped."""
    return '"' + re.sub(r"[^\w \-]", "", name) + '"'


# --- what fontconfig knows (used by the PDF environment check and by `fallback_only`) ---------


class _FcFontSet(ctypes.Structure):
    _fields_ = [("nfont", ctypes.c_int), ("sfont", ctypes.c_int), ("fonts", ctypes.POINTER(ctypes.c_void_p))]


@functools.cache
def _fontconfig() -> ctypes.CDLL | None:
    name = ctypes.util.find_library("fontconfig")
    if name is None:
        return None
    lib = ctypes.CDLL(name)
    lib.FcNameParse.restype = ctypes.c_void_p
    lib.FcNameParse.argtypes = [ctypes.c_char_p]
    lib.FcObjectSetBuild.restype = ctypes.c_void_p
    lib.FcFontList.restype = ctypes.POINTER(_FcFontSet)
    lib.FcFontList.argtypes = [ctypes.c_void_p, ctypes.c_void_p, ctypes.c_void_p]
    lib.FcPatternGetString.argtypes = [
        ctypes.c_void_p, ctypes.c_char_p, ctypes.c_int, ctypes.POINTER(ctypes.c_char_p)
    ]
    lib.FcFontSetDestroy.argtypes = [ctypes.POINTER(_FcFontSet)]
    lib.FcPatternDestroy.argtypes = [ctypes.c_void_p]
    lib.FcObjectSetDestroy.argtypes = [ctypes.c_void_p]
    return lib


def _list_families(pattern: bytes) -> frozenset[str]:
    """Family names (every localised name) of the fonts matching a fontconfig pattern."""
    lib = _fontconfig()
    if lib is None:
        return frozenset()
    pat = lib.FcNameParse(pattern)
    objects = lib.FcObjectSetBuild(b"family", None)
    found: set[str] = set()
    try:
        fontset = lib.FcFontList(None, pat, objects)
        if fontset:
            for i in range(fontset.contents.nfont):
                n = 0
                value = ctypes.c_char_p()
                pattern_i = fontset.contents.fonts[i]
                while lib.FcPatternGetString(pattern_i, b"family", n, ctypes.byref(value)) == 0:
                    found.add(value.value.decode("utf-8", "replace"))
                    n += 1
            lib.FcFontSetDestroy(fontset)
    finally:
        lib.FcObjectSetDestroy(objects)
        lib.FcPatternDestroy(pat)
    return frozenset(found)


@functools.cache
def installed_families() -> frozenset[str]:
    """Every family name fontconfig knows on this machine."""
    return _list_families(b"")


@functools.cache
def chinese_families() -> frozenset[str]:
    """Families that cover Simplified Chinese (fontconfig's ``:lang=zh-cn``)."""
    return _list_families(b":lang=zh-cn")
