"""``briefing review --serve``: the review page over HTTP, writing the editor's decisions itself.

Standard library only. It binds 127.0.0.1 unless told otherwise, and refuses any address that
is not loopback without ``--allow-remote`` (whoever reaches it can change briefing.toml). It
answers exactly two requests: ``GET /`` (the page, from memory) and ``POST /decisions`` (the
form it served: its one-time token, ``pin`` and ``drop`` ids, nothing else). No part of a
request names a file: the settings file and the out folder are fixed when it starts. A POST
rewrites ``[picks]`` in the settings file (the rest of the file kept), runs ``briefing make``
and serves the page afresh.
"""

from __future__ import annotations

import html
import ipaddress
import secrets
import subprocess
import sys
import tomllib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from .config import settings_from_table
from .errors import ConfigError, InputError
from .output import write_atomic
from .picks import Picks, parse_picks, replace_picks

MAX_FORM_BYTES = 1 << 20
FORM_KEYS = {"token", "pin", "drop"}


def check_host(host: str, allow_remote: bool) -> None:
    """Loopback only, unless the user said ``--allow-remote``."""
    if allow_remote or host == "localhost":
        return
    try:
        loopback = ipaddress.ip_address(host).is_loopback
    except ValueError:
        loopback = False
    if not loopback:
        raise InputError("--host", f"{host} is not a loopback address; anyone who reaches it could change "
                                   "the settings: pass --allow-remote if that is what you want")


def settings_target(config_path: Path | None, settings_path: Path | None, cwd: Path) -> Path:
    """The file the decisions go into: --config, else briefing.toml (never pyproject.toml)."""
    if config_path is not None:
        return config_path
    if settings_path is not None and settings_path.name != "briefing.toml":
        raise ConfigError(settings_path, "--serve writes [picks] into briefing.toml, which would hide these "
                                         "settings; move them to briefing.toml or pass --config FILE")
    return cwd / "briefing.toml"


def write_picks(target: Path, picks: Picks) -> None:
    """Rewrite the ``[picks]`` table of `target` (created if missing); checked before it is written."""
    try:
        text = target.read_text("utf-8-sig") if target.exists() else ""
    except (OSError, UnicodeDecodeError) as error:
        raise ConfigError(target, f"cannot read settings: {error}") from None
    try:
        new = replace_picks(text, picks)
        settled = settings_from_table(tomllib.loads(new), target).picks
    except (ValueError, tomllib.TOMLDecodeError) as error:
        raise ConfigError(target, f"cannot write [picks]: {error}") from None
    if settled != picks:
        raise ConfigError(target, "cannot write [picks]: the file would not read back the same")
    write_atomic(target, new.encode("utf-8"))


def remake_command(target: Path, seeds: Sequence[Path], out_dir: Path) -> list[str]:
    """``briefing make`` as the editor would run it, with this settings file."""
    command = [sys.executable, "-m", "briefing", "make", "--config", str(target), "--out", str(out_dir)]
    for seed in seeds:
        command += ["--seeds", str(seed)]
    return command


@dataclass
class App:
    """What the server needs: the page maker and where decisions go."""

    page: Callable[[str, str], str]
    """(token, message) → the review page, built from the settings file as it is now (and
    out/review.html rewritten to match, so the file never offers stale decisions)."""
    target: Path
    command: list[str]
    token: str
    any_host: bool = False
    """--allow-remote: any Host header (the machine's own name or address) is accepted."""
    message: str = ""
    built: str | None = None
    """The page as last built; built afresh after a decision (reading and scoring take a while)."""

    def current(self) -> str:
        if self.built is None:
            self.built = self.page(self.token, self.message)
        return self.built

    def decide(self, picks: Picks) -> None:
        self.built = None
        write_picks(self.target, picks)
        done = subprocess.run(self.command, capture_output=True, text=True, check=False)
        lines = [line for line in done.stderr.splitlines() if line.strip()]
        outcome = "简报已重新生成" if done.returncode == 0 else "briefing make 失败"
        self.message = f"已写入 {self.target.name}；{outcome}。" + (f" {lines[-1]}" if lines else "")


def parse_form(body: bytes, token: str) -> Picks:
    """The decision form, strictly: ValueError for anything else."""
    try:
        fields = parse_qs(body.decode("ascii"), keep_blank_values=True, strict_parsing=bool(body),
                          max_num_fields=len(FORM_KEYS))
    except (UnicodeDecodeError, ValueError):
        raise ValueError("not the decision form") from None
    if set(fields) != FORM_KEYS or any(len(v) != 1 for v in fields.values()):
        raise ValueError("not the decision form")
    if not secrets.compare_digest(fields["token"][0], token):
        raise ValueError("the form is from another session of the review page; reload it")
    return parse_picks({"pin": fields["pin"][0].split(), "drop": fields["drop"][0].split()})


def make_server(host: str, port: int, app: App) -> HTTPServer:
    """An HTTP server for `app` (not yet serving: call ``serve_forever``)."""

    class Handler(BaseHTTPRequestHandler):
        server_version = "briefing-review"
        sys_version = ""

        def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - the base's name
            pass

        def _send(self, status: HTTPStatus, body: str, extra: dict[str, str] | None = None) -> None:
            data = body.encode("utf-8")
            self.send_response(status)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(data)))
            self.send_header("Cache-Control", "no-store")
            self.send_header("X-Content-Type-Options", "nosniff")
            self.send_header("X-Frame-Options", "DENY")
            for name, value in (extra or {}).items():
                self.send_header(name, value)
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(data)

        def _refuse(self, status: HTTPStatus, why: str) -> None:
            self._send(status, f"<!DOCTYPE html><meta charset=utf-8><p>{html.escape(why)}</p><p><a href='/'>review</a>")

        def _own_host(self) -> bool:
            """The Host header names this server (a page elsewhere cannot reach it by a DNS trick)."""
            if app.any_host:
                return True
            bound = self.server.server_address
            allowed = {f"{host}:{bound[1]}", f"127.0.0.1:{bound[1]}", f"localhost:{bound[1]}"}
            return self.headers.get("Host", "") in allowed

        def do_GET(self) -> None:  # noqa: N802 - the base's name
            if urlsplit(self.path).path != "/" or not self._own_host():
                self._refuse(HTTPStatus.NOT_FOUND, "Only the review page is here.")
                return
            self._send(HTTPStatus.OK, app.current())

        do_HEAD = do_GET

        def do_POST(self) -> None:  # noqa: N802 - the base's name
            if self.path != "/decisions" or not self._own_host():
                self._refuse(HTTPStatus.NOT_FOUND, "Only the decision form is accepted here.")
                return
            if self.headers.get("Content-Type", "").split(";")[0].strip() != "application/x-www-form-urlencoded":
                self._refuse(HTTPStatus.UNSUPPORTED_MEDIA_TYPE, "Only the decision form is accepted here.")
                return
            try:
                length = int(self.headers.get("Content-Length", ""))
            except ValueError:
                self._refuse(HTTPStatus.LENGTH_REQUIRED, "The form has no length.")
                return
            if not 0 <= length <= MAX_FORM_BYTES:
                self._refuse(HTTPStatus.REQUEST_ENTITY_TOO_LARGE, "The form is too large.")
                return
            try:
                picks = parse_form(self.rfile.read(length), app.token)
            except ValueError as error:
                self._refuse(HTTPStatus.BAD_REQUEST, str(error))
                return
            try:
                app.decide(picks)
            except ConfigError as error:
                self._refuse(HTTPStatus.CONFLICT, str(error))
                return
            self._send(HTTPStatus.SEE_OTHER, "", {"Location": "/"})

    return HTTPServer((host, port), Handler)


def new_token() -> str:
    return secrets.token_urlsafe(24)
