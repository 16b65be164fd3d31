"""Broken, hostile and huge input, and failures in mid-run, through the real command line.

Whatever arrives in seeds/, `briefing make` either produces a correct briefing or stops with
one line naming the file and the problem (exit 1, no traceback) and leaves the previous
documents exactly as they were.
"""

from __future__ import annotations

import codecs
import errno
import json
import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from briefing import output
from briefing.cli import main

ROOT = Path(__file__).resolve().parent.parent
PNG = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000") + b"\x00" * 40
PDF = b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\n%%EOF\n"


@pytest.fixture()
def work(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    (tmp_path / "seeds").mkdir()
    return tmp_path


def make(*args: str):
    return CliRunner().invoke(main, ["make", "--date", "2023-01-05", *args])


def said(result) -> str:
    """The command's stderr less the reminder that no issuing unit is set (these runs set none)."""
    return "".join(line for line in result.output.splitlines(keepends=True) if "no issuing unit set" not in line)


def one_error_line(result, path: str, problem: str) -> None:
    assert result.exit_code == 1, result.output
    lines = said(result).strip().splitlines()
    assert len(lines) == 1, result.output
    assert lines[0].startswith(f"briefing: error: {path}: "), lines[0]
    assert problem in lines[0]
    assert "Traceback" not in result.output


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        (b"", "the file is empty"),
        (b"  \n\n\t \r\n", "the file is empty"),
        (PNG, "this is a PNG image, not plain text"),
        (PDF, "this is a PDF file, not plain text"),
        (b"PK\x03\x04" + b"\x00" * 30, "this is a ZIP archive"),
        (b"\xff\xfe\x00\xd8", "invalid UTF-16"),  # BOM then a lone high surrogate
        (bytes(range(0x80, 0x100)) * 3, "not valid UTF-8"),
        (bytes([0, 1, 2, 3, 0, 0, 255, 16]) * 20, "binary data (NUL bytes)"),
    ],
)
def test_unreadable_files_get_one_line_naming_the_file(work, content, problem):
    (work / "seeds" / "bad.txt").write_bytes(content)
    result = make("--format", "json")
    one_error_line(result, "seeds/bad.txt", problem)
    assert not (work / "out" / "briefing.json").exists()


def test_missing_path_empty_folder_and_a_folder_that_cannot_be_listed(work, monkeypatch):
    one_error_line(make("--format", "json", "--seeds", "nope"), "nope", "no such file or folder")
    (work / "empty").mkdir()
    (work / "empty" / "notes.md").write_text("x", "utf-8")
    one_error_line(make("--format", "json", "--seeds", "empty"), "empty",
                   "no seed files (.doc, .docx, .htm, .html, .txt) in this folder")
    locked = work / "locked"
    locked.mkdir()
    locked.chmod(0)
    if os.geteuid() == 0:  # root reads any folder: make listing fail as it would for a user
        real_iterdir = Path.iterdir

        def refuse(self):
            if self.resolve() == locked.resolve():
                raise PermissionError(errno.EACCES, "Permission denied", str(self))
            return real_iterdir(self)

        monkeypatch.setattr(Path, "iterdir", refuse)
    one_error_line(make("--format", "json", "--seeds", "locked"), "locked", "permission denied")
    locked.chmod(0o755)


def _briefing_json(work: Path, name: str, data: bytes) -> dict:
    for old in (work / "seeds").iterdir():
        old.unlink()
    (work / "seeds" / name).write_bytes(data)
    result = make("--format", "json", "-q")
    assert result.exit_code == 0, result.output
    model = json.loads((work / "out" / "briefing.json").read_text("utf-8"))
    for article in model["articles"]:
        article.pop("source")
    return model


def test_encodings_line_ends_and_odd_spaces_give_the_same_briefing(work, seed_path):
    clean = seed_path.read_text("utf-8")
    expected = _briefing_json(work, "a.txt", clean.encode("utf-8"))
    assert expected["articles"][0]["sections"][1]["key_sentences"]
    variants = {
        "gbk": clean.encode("gbk"),
        "gb18030": clean.encode("gb18030"),
        "utf-8 with BOM": codecs.BOM_UTF8 + clean.encode("utf-8"),
        "utf-16-le with BOM": codecs.BOM_UTF16_LE + clean.encode("utf-16-le"),
        "utf-16-be with BOM": codecs.BOM_UTF16_BE + clean.encode("utf-16-be"),
        "crlf": clean.replace("\n", "\r\n").encode("utf-8"),
        "cr": clean.replace("\n", "\r").encode("utf-8"),
        "full-width indents": "\n".join("\u3000\u3000" + line if line else line for line in clean.split("\n")).encode(),
        "no-break spaces": clean.replace(" ", "\u00a0").encode("utf-8"),
    }
    for name, data in variants.items():
        assert _briefing_json(work, "a.txt", data) == expected, name


def test_text_without_headings_title_or_punctuation_still_makes_a_briefing(work):
    (work / "seeds" / "plain.txt").write_text(
        "州政协召开常委会会议\n审议通过3项议案\n委员提出建议12件\n", "utf-8"
    )
    result = make("--format", "json", "-q")
    assert result.exit_code == 0, result.output
    model = json.loads((work / "out" / "briefing.json").read_text("utf-8"))
    paragraphs = [p for a in model["articles"] for s in a["sections"] for p in s["paragraphs"]]
    title = model["articles"][0]["title"]
    assert "".join([title, *paragraphs]) == "州政协召开常委会会议审议通过3项议案委员提出建议12件"


@pytest.mark.slow
def test_huge_inputs_one_long_line_and_many_short_lines_make_a_briefing(work):
    sentence = "州政协全年开展协商议事活动124场，解决民生实事141件。"
    (work / "seeds" / "long-line.txt").write_text("标题\n" + sentence * (1_000_000 // len(sentence.encode())), "utf-8")
    (work / "seeds" / "short-lines.txt").write_text("\n".join(f"第{i}行。" for i in range(5000)), "utf-8")
    result = make("--format", "json", "-q")
    assert result.exit_code == 0, result.output
    model = json.loads((work / "out" / "briefing.json").read_text("utf-8"))
    long_line, short_lines = model["articles"]
    assert long_line["sections"][0]["key_sentences"][0]["text"] == sentence
    assert short_lines["title"] == "" and len(short_lines["sections"][0]["paragraphs"]) == 5000


def test_a_20_mb_file_is_refused_in_one_line(work, seed_path):
    seed = seed_path.read_bytes()
    with open(work / "seeds" / "big.txt", "wb") as handle:
        while handle.tell() < 20 * 2**20:
            handle.write(seed)
    one_error_line(make("--format", "json"), "seeds/big.txt", "the file is 20.0 MB; the limit is 10 MB")


def test_control_characters_are_removed_everywhere_and_reported_once(work, seed_path):
    text = seed_path.read_text("utf-8").replace("各级政协", "各级\x00政\x0b协\x1f", 1).replace("答卷", "答\ufffe卷", 1)
    (work / "seeds" / "ctl.txt").write_text(text, "utf-8", errors="surrogatepass")
    result = make("--format", "json,html")
    assert result.exit_code == 0, result.output
    assert said(result).count("warning") == 1
    assert "removed 4 control, bidi or non-character code point(s)" in said(result)
    for name in ("briefing.json", "briefing.html"):
        data = (work / "out" / name).read_text("utf-8")
        assert not any(c in data for c in "\x00\x0b\x1f\ufffe")


def test_traditional_script_is_read_not_mangled(work):
    text = "臺灣政協舉辦座談會\n\n本報記者 張三\n\n政協委員圍繞產業發展建言獻策，提出建議12件。會議決定成立3個工作組。\n"
    for encoding in ("utf-8", "gb18030"):
        (work / "seeds" / "trad.txt").write_bytes(text.encode(encoding))
        result = make("--format", "json", "-q")
        assert result.exit_code == 0, result.output
        model = json.loads((work / "out" / "briefing.json").read_text("utf-8"))
        article = model["articles"][0]
        assert article["title"] == "臺灣政協舉辦座談會"
        assert "政協委員圍繞產業發展建言獻策" in article["sections"][0]["paragraphs"][0]


HOSTILE = (
    "<script>alert(1)</script>",
    '<img src="file:///etc/passwd">',
    '<link rel=stylesheet href="http://127.0.0.1:9/x.css">',
    "{{ 7*7 }}",
    "{% raw %}",
)


def test_markup_inside_an_article_is_literal_text(work):
    body = "委员提出" + "、".join(HOSTILE) + "等建议12件。"  # one sentence: it is always the pick
    (work / "seeds" / "markup.txt").write_text(f"测试标题\n\n本报记者 张三\n\n{body}\n", "utf-8")
    result = make("--format", "json,html", "-q", "--sentences", "5")
    assert result.exit_code == 0, result.output
    html = (work / "out" / "briefing.html").read_text("utf-8")
    assert "<script>alert" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "{{ 7*7 }}" in html and "49" not in html.replace("2049", "")
    model = json.loads((work / "out" / "briefing.json").read_text("utf-8"))
    for hostile in HOSTILE:
        assert hostile in model["articles"][0]["sections"][0]["paragraphs"][0]


def _leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".part"))


def test_a_failing_renderer_publishes_nothing_and_the_old_set_stays_whole(work, seed_path, monkeypatch):
    shutil.copy(seed_path, work / "seeds")
    assert make("--format", "json,html", "-q").exit_code == 0
    old = {name: (work / "out" / name).read_bytes() for name in ("briefing.html", "briefing.json", "manifest.json")}
    import briefing.render.html as html_module

    def explode(*args, **kwargs):
        raise RuntimeError("template error")

    monkeypatch.setattr(html_module, "render_html", explode)
    result = make("--format", "html,json", "-q", "--issue", "4")
    assert result.exit_code == 1
    assert said(result).strip() == "briefing: error: out/briefing.html: rendering html failed: RuntimeError: template error"
    assert {name: (work / "out" / name).read_bytes() for name in old} == old
    assert _leftovers(work / "out") == []


def test_a_full_disk_leaves_nothing_half_written(work, seed_path, monkeypatch):
    shutil.copy(seed_path, work / "seeds")
    assert make("--format", "json", "-q").exit_code == 0
    old = (work / "out" / "briefing.json").read_bytes()
    real_fdopen = os.fdopen

    class FullDisk:
        def __init__(self, handle):
            self.handle = handle

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            self.handle.close()

        def write(self, data):
            self.handle.write(data[: len(data) // 2])
            raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(
        output.os, "fdopen", lambda fd, mode: FullDisk(real_fdopen(fd, mode)) if "w" in mode else real_fdopen(fd, mode)
    )
    result = make("--format", "json", "--issue", "9", "-q")
    one_error_line(result, "out/briefing.json", "no space left on the device")
    assert (work / "out" / "briefing.json").read_bytes() == old
    assert _leftovers(work / "out") == []


def _mount_tmpfs(path: Path, size: str) -> bool:
    if os.geteuid() != 0 or shutil.which("mount") is None:
        return False
    return subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(path)],
                          capture_output=True).returncode == 0


@pytest.mark.slow
def test_a_real_tiny_disk_and_a_read_only_folder(work, seed_path):
    """On a real 64 KB tmpfs (and then a read-only one), where the machine allows mounting."""
    shutil.copy(seed_path, work / "seeds")
    disk = work / "disk"
    disk.mkdir()
    if not _mount_tmpfs(disk, "64k"):
        pytest.skip("cannot mount a tmpfs here (not root); the mocked full-disk test covers it")
    try:
        (disk / "briefing.json").write_text("previous", "utf-8")
        run = subprocess.run([sys.executable, "-m", "briefing", "make", "--format", "json", "--out", str(disk),
                              "--date", "2023-01-05"], capture_output=True, text=True, encoding="utf-8", cwd=work)
        assert run.returncode == 1
        assert run.stderr.strip().splitlines()[-1].startswith(f"briefing: error: {disk}/")
        assert (disk / "briefing.json").read_text("utf-8") == "previous"
        assert _leftovers(disk) == []
        subprocess.run(["mount", "-o", "remount,ro,size=64k", str(disk)], check=True)
        run = subprocess.run([sys.executable, "-m", "briefing", "make", "--format", "json", "--out", str(disk),
                              "--date", "2023-01-05"], capture_output=True, text=True, encoding="utf-8", cwd=work)
        assert run.returncode == 1 and "read-only" in run.stderr
        assert (disk / "briefing.json").read_text("utf-8") == "previous"
    finally:
        subprocess.run(["umount", str(disk)], capture_output=True)


@pytest.mark.slow
def test_two_runs_at_once_on_the_same_out_folder_both_finish_cleanly(work, seed_path):
    shutil.copy(seed_path, work / "seeds")
    command = [sys.executable, "-m", "briefing", "make", "--format", "json,html", "-q"]
    runs = [
        subprocess.Popen([*command, "--date", date], cwd=work, stderr=subprocess.PIPE, text=True, encoding="utf-8")
        for date in ("2023-01-05", "2023-01-06")
    ]
    for process in runs:
        _out, err = process.communicate(timeout=120)
        assert process.returncode == 0, err
    model = json.loads((work / "out" / "briefing.json").read_text("utf-8"))
    html = (work / "out" / "briefing.html").read_text("utf-8")
    assert model["date"] in ("2023-01-05", "2023-01-06") and html.rstrip().endswith("</html>")
    manifest = json.loads((work / "out" / "manifest.json").read_text("utf-8"))
    assert set(manifest["documents"]) == {"briefing.json", "briefing.html"}
    assert _leftovers(work / "out") == []


def test_ctrl_c_while_writing_leaves_no_temporary_file(work, seed_path, monkeypatch):
    shutil.copy(seed_path, work / "seeds")
    assert make("--format", "json", "-q").exit_code == 0
    old = (work / "out" / "briefing.json").read_bytes()
    real_fsync = os.fsync

    def interrupted(fd):
        real_fsync(fd)
        raise KeyboardInterrupt

    monkeypatch.setattr(output.os, "fsync", interrupted)
    result = make("--format", "json", "--issue", "3")
    assert result.exit_code == 130
    assert "briefing: interrupted; documents already written are complete, none is half-written" in result.output
    assert (work / "out" / "briefing.json").read_bytes() == old
    assert _leftovers(work / "out") == []


@pytest.mark.slow
def test_sigint_to_a_real_run_leaves_no_temporary_file(work, seed_path):
    """Ctrl-C while the documents are being made (the PDF of six articles takes seconds): exit 130,
    one line, no traceback, no temporary file, and no document written half."""
    for n in range(3):
        shutil.copy(seed_path, work / "seeds" / f"{n}.txt")
    with subprocess.Popen(
        [sys.executable, "-m", "briefing", "make", "--format", "json,html,pdf", "--date", "2023-01-05"],
        cwd=work, stderr=subprocess.PIPE, text=True, encoding="utf-8",
    ) as process:
        # The "summarised:" line comes just before rendering starts: interrupt the run there.
        seen = []
        for line in process.stderr:
            seen.append(line)
            if line.startswith("briefing: summarised:"):
                process.send_signal(signal.SIGINT)
                break
        rest = process.stderr.read()
        process.wait(timeout=60)
    stderr = "".join(seen) + rest
    assert any(line.startswith("briefing: summarised:") for line in seen), stderr
    assert process.returncode == 130, stderr
    assert "Traceback" not in stderr
    assert stderr.rstrip().splitlines()[-1] == (
        "briefing: interrupted; documents already written are complete, none is half-written")
    assert "wrote out/briefing.pdf" not in stderr
    assert not (work / "out" / "briefing.pdf").exists()
    assert _leftovers(work / "out") == []


@pytest.mark.slow
def test_a_template_that_raises_fails_the_run_and_keeps_the_old_pdf_and_docx(work, seed_path, monkeypatch):
    shutil.copy(seed_path, work / "seeds")
    assert make("--format", "pdf,docx", "-q").exit_code == 0
    old = {name: (work / "out" / name).read_bytes() for name in ("briefing.pdf", "briefing.docx", "manifest.json")}
    import jinja2

    import briefing.render.html as html_module

    def broken_environment():
        return jinja2.Environment(autoescape=True, loader=jinja2.DictLoader(
            {html_module.TEMPLATE: "{{ v.missing.attribute }}"}), undefined=jinja2.StrictUndefined)

    monkeypatch.setattr(html_module, "environment", broken_environment)
    result = make("--format", "pdf,docx", "-q", "--issue", "2")
    assert result.exit_code == 1
    assert said(result).startswith("briefing: error: out/briefing.pdf: rendering pdf failed: UndefinedError")
    assert len(said(result).strip().splitlines()) == 1
    assert {name: (work / "out" / name).read_bytes() for name in old} == old
    assert _leftovers(work / "out") == []


def test_an_article_without_title_or_region_still_reads_well(work):
    (work / "seeds" / "a.txt").write_text("全年开展协商议事活动124场，解决民生实事141件，建成委员工作室56个。" * 20, "utf-8")
    result = make("--format", "html", "-q")
    assert result.exit_code == 0, result.output
    html = (work / "out" / "briefing.html").read_text("utf-8")
    assert "（无标题）" in html and "第一篇" in html
    assert "：</span>" not in html.replace("第一篇：</span>", "")


def test_an_out_path_that_is_a_file_or_read_only_is_one_line_before_any_work(work, seed_path, monkeypatch):
    shutil.copy(seed_path, work / "seeds")
    (work / "afile").write_text("x", "utf-8")
    one_error_line(make("--format", "all", "--out", "afile"), "afile", "is not a folder")
    (work / "ro").mkdir()
    real_access = os.access
    monkeypatch.setattr(
        output.os, "access",
        lambda p, mode: False if Path(p).name == "ro" and mode & os.W_OK else real_access(p, mode),
    )
    one_error_line(make("--format", "all", "--out", "ro"), "ro", "permission denied: the folder is read-only")


def test_several_formats_failing_still_make_one_line_and_publish_nothing(work, seed_path, monkeypatch):
    shutil.copy(seed_path, work / "seeds")
    import briefing.render.docx as docx_module
    import briefing.render.html as html_module

    def explode(*args, **kwargs):
        raise RuntimeError("no room")

    monkeypatch.setattr(html_module, "render_html", explode)
    monkeypatch.setattr(docx_module, "render_docx", explode)
    result = make("--format", "docx,html,json", "-q")
    one_error_line(result, "out/briefing.docx", "rendering docx failed: RuntimeError: no room (also failed: briefing.html)")
    assert sorted(p.name for p in (work / "out").iterdir() if p.name != ".briefing") == []


def test_unpunctuated_lines_of_one_length_stay_lines_not_one_wrapped_paragraph(work):
    (work / "seeds" / "list.txt").write_text("\n".join(f"第{i}行 建成委员工作室{i}个" for i in range(1000)), "utf-8")
    result = make("--format", "json", "-q")
    assert result.exit_code == 0, result.output
    model = json.loads((work / "out" / "briefing.json").read_text("utf-8"))
    paragraphs = [p for s in model["articles"][0]["sections"] for p in s["paragraphs"]]
    assert len(paragraphs) == 999 and max(len(p) for p in paragraphs) <= 20
