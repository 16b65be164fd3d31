"""Unattended and shared use (issue 18): ordinary runs that used to fail, the out folder as one
set under one writer, a private checked cache, bounded input, text that must not change meaning.

The long versions (50 random kills, eight concurrent runs, timed hostile inputs) are bench
scripts: bench/killloop.py, bench/bounded.py.
"""

from __future__ import annotations

import dataclasses
import fcntl
import hashlib
import json
import os
import shutil
import signal
import stat
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import example, given, settings
from hypothesis import strategies as st

from briefing import figures, output
from briefing.cli import main
from briefing.sentences import MAX_SENTENCE, split_sentences

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture()
def work(tmp_path, monkeypatch, seed_path):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    (tmp_path / "seeds").mkdir()
    shutil.copy(seed_path, tmp_path / "seeds")
    return tmp_path


def make(*args: str):
    return CliRunner().invoke(main, ["make", "--date", "2023-01-05", *args])


def one_line(result, code: int = 1) -> str:
    assert result.exit_code == code, result.output
    lines = [line for line in result.output.strip().splitlines() if "no issuing unit set" not in line]
    assert len(lines) == 1 and "Traceback" not in result.output, result.output
    return lines[0]


def visible(folder: Path) -> dict[str, str]:
    """What a reader of the out folder sees: each readable non-hidden file and its SHA-256."""
    seen = {}
    for entry in sorted(folder.iterdir()):
        if not entry.name.startswith(".") and entry.is_file():
            seen[entry.name] = hashlib.sha256(entry.read_bytes()).hexdigest()
    return seen


def assert_consistent(folder: Path) -> dict:
    """The manifest lists exactly the documents a reader sees, with their hashes."""
    files = visible(folder)
    manifest = json.loads((folder / "manifest.json").read_text("utf-8"))
    assert {name: entry["sha256"] for name, entry in manifest["documents"].items()} == {
        name: digest for name, digest in files.items() if name != "manifest.json"
    }
    return manifest


def _command(*args: str) -> list[str]:
    return [sys.executable, "-m", "briefing", "make", "--date", "2023-01-05", *args]


# --- fails in ordinary use ---------------------------------------------------------------------


@pytest.mark.slow
def test_docx_with_many_regions_and_a_long_title_and_name(work, seed_articles):
    from briefing.config import Settings
    from briefing.pipeline import build_briefing
    from briefing.render.docx import render_docx

    articles = [dataclasses.replace(seed_articles[0], region=f"第{i}州") for i in range(60)]
    document = render_docx(build_briefing(articles, "题" * 200, "2023-01-05"), Settings(name="名" * 100))
    from docx import Document

    core = Document(__import__("io").BytesIO(document.data)).core_properties
    assert all(len(value) <= 255 for value in (core.title, core.keywords, core.subject))
    assert core.title.startswith("名" * 100)


def test_a_seed_file_name_in_gbk_bytes_is_shown_in_chinese(work):
    name = "报告".encode("gbk") + b".txt"
    shutil.move(next((work / "seeds").iterdir()), os.path.join(b"seeds", name))
    result = make("--format", "json,html", "-q")
    assert result.exit_code == 0, result.output
    model = json.loads((work / "out" / "briefing.json").read_text("utf-8"))
    assert model["articles"][0]["source"] == "seeds/报告.txt"


_ORPHAN = textwrap.dedent("""
    import os, signal, sys, time
    from briefing.pipeline import overlapped

    def work():
        print(os.getpid(), flush=True)
        time.sleep(0.5)
        return b"x" * (4 << 20)  # far more than a pipe holds

    def meanwhile():
        time.sleep(0.2)
        os.kill(os.getpid(), signal.SIG)

    overlapped(work, meanwhile)
""")


@pytest.mark.parametrize("how", ["SIGKILL", "SIGTERM"])
def test_the_worker_dies_with_the_main_process(how):
    script = _ORPHAN.replace("signal.SIG)", f"signal.{how})")
    process = subprocess.Popen([sys.executable, "-c", script], cwd=ROOT, stdout=subprocess.PIPE, text=True)
    worker = int(process.stdout.readline())
    process.wait(timeout=30)
    # The worker held our stdout: reading to the end only returns once it is gone.
    out, _ = process.communicate(timeout=30)
    assert out == ""
    assert not _alive(worker)


def _alive(pid: int) -> bool:
    for _ in range(100):
        try:
            state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except (FileNotFoundError, ProcessLookupError):
            return False
        if state == "Z":
            return False
        time.sleep(0.05)
    return True


# --- the out folder: one set, one writer, a manifest that never lies ---------------------------


def test_a_run_that_fails_in_rendering_changes_nothing(work, monkeypatch):
    assert make("--format", "json,html", "-q").exit_code == 0
    before = visible(work / "out")
    import briefing.render.json as json_module

    monkeypatch.setattr(json_module, "render_json", lambda *a: (_ for _ in ()).throw(ValueError("bad")))
    assert make("--format", "html,json", "-q", "--issue", "2").exit_code == 1
    assert visible(work / "out") == before
    assert_consistent(work / "out")


def test_documents_of_another_issue_leave_the_set(work):
    assert make("--format", "json", "-q").exit_code == 0
    assert make("--format", "html", "-q", "--issue", "2").exit_code == 0
    manifest = assert_consistent(work / "out")
    assert set(manifest["documents"]) == {"briefing.html"}
    assert not (work / "out" / "briefing.json").exists()
    assert make("--format", "json", "-q", "--issue", "2").exit_code == 0
    assert set(assert_consistent(work / "out")["documents"]) == {"briefing.html", "briefing.json"}


def test_the_manifest_hashes_the_seed_bytes_that_were_read(work, monkeypatch):
    seed = next((work / "seeds").iterdir())
    original = hashlib.sha256(seed.read_bytes()).hexdigest()
    import briefing.pipeline as pipeline

    real = pipeline.read_source

    def edit_then_delete(data, name, *args):
        Path(name).write_text("改过的内容。", "utf-8")
        Path(name).unlink()
        return real(data, name, *args)

    monkeypatch.setattr(pipeline, "read_source", edit_then_delete)
    result = make("--format", "json", "-q")
    assert result.exit_code == 0, result.output
    manifest = assert_consistent(work / "out")
    assert manifest["sources"] == [{"path": f"seeds/{seed.name}", "sha256": original}]


def test_a_hostile_previous_manifest_is_neither_followed_nor_relisted(work):
    assert make("--format", "json", "-q").exit_code == 0
    manifest_path = work / "out" / "manifest.json"
    manifest = json.loads(manifest_path.read_text("utf-8"))
    passwd = Path("/etc/passwd")
    for name in ("../../etc/passwd", str(passwd)):
        manifest["documents"][name] = {"format": "json", "sha256": hashlib.sha256(passwd.read_bytes()).hexdigest()}
    manifest_path.write_text(json.dumps(manifest), "utf-8")
    assert make("--format", "json", "-q").exit_code == 0
    assert set(assert_consistent(work / "out")["documents"]) == {"briefing.json"}


@pytest.mark.slow
@pytest.mark.parametrize("plant", ["fifo", "zero"])
def test_a_fifo_or_dev_zero_at_the_manifest_is_replaced_not_read(work, plant):
    (work / "out").mkdir()
    if plant == "fifo":
        os.mkfifo(work / "out" / "manifest.json")
    else:
        os.symlink("/dev/zero", work / "out" / "manifest.json")
    run = subprocess.run(_command("--format", "json", "-q"), cwd=work, capture_output=True, text=True, timeout=60)
    assert run.returncode == 0, run.stderr
    assert_consistent(work / "out")


def test_a_second_writer_waits_then_fails_in_one_line(work, monkeypatch):
    assert make("--format", "json", "-q").exit_code == 0
    before = visible(work / "out")
    monkeypatch.setattr(output, "LOCK_WAIT", 0.3)
    handle = os.open(work / "out" / ".briefing" / "lock", os.O_RDWR)
    try:
        fcntl.flock(handle, fcntl.LOCK_EX)
        line = one_line(make("--format", "json", "-q", "--issue", "5"))
    finally:
        os.close(handle)
    assert line == "briefing: error: out: another briefing run is writing to this folder (waited 0 s)"
    assert visible(work / "out") == before


_KILLED_AT = textwrap.dedent("""
    import os, signal, sys
    from briefing import output
    from briefing.cli import main

    point, count = sys.argv[1], int(sys.argv[2])
    calls = []
    real = getattr(output, point)

    def wrapped(*args, **kwargs):
        calls.append(1)
        if len(calls) == count:
            os.kill(os.getpid(), signal.SIGKILL)
        return real(*args, **kwargs)

    setattr(output, point, wrapped)
    main(["make", "--format", "json,html", "--date", "2023-01-05", "--issue", "7", "-q"])
""")


@pytest.mark.slow
def test_killed_at_any_step_of_publishing_the_folder_is_old_or_new(work):
    """SIGKILL at fixed points of a publish: the folder shows the old set or the new one, whole."""
    new = work / "new"
    shutil.copytree(work / "seeds", new / "seeds")
    subprocess.run(_command("--format", "json,html", "--issue", "7", "-q"), cwd=new, check=True)
    expected_new = visible(new / "out")
    assert make("--format", "json,html", "-q").exit_code == 0
    old = visible(work / "out")
    assert old != expected_new
    # _write_new: 1st document, manifest; _link: a name, `current`; _fsync: version, state folder.
    points = [("_write_new", 1), ("_write_new", 3), ("_link", 2), ("_link", 4), ("_fsync", 2), ("_clear_leftovers", 2)]
    outcomes = []
    for point, count in points:
        run = subprocess.run([sys.executable, "-c", _KILLED_AT, point, str(count)], cwd=work, capture_output=True,
                             timeout=120)
        assert run.returncode == -signal.SIGKILL, run.stderr
        seen = visible(work / "out")
        assert seen in (old, expected_new), point
        assert_consistent(work / "out")
        outcomes.append(seen == expected_new)
        assert make("--format", "json,html", "-q").exit_code == 0  # back to the old set
        assert visible(work / "out") == old
    assert outcomes == [False, False, False, False, True, True]
    state = work / "out" / ".briefing"
    assert sorted(p.name for p in state.iterdir() if p.name != "lock")[0] == "current"
    assert len([p for p in state.iterdir() if p.name.startswith("v-")]) == 1


@pytest.mark.slow
def test_three_runs_at_once_with_different_issues_leave_one_consistent_set(work):
    runs = [subprocess.Popen(_command("--format", "json,html", "--issue", str(issue), "-q"), cwd=work,
                             stderr=subprocess.PIPE, text=True) for issue in (1, 2, 3)]
    for process in runs:
        _out, err = process.communicate(timeout=180)
        assert process.returncode == 0, err
    assert_consistent(work / "out")
    model = json.loads((work / "out" / "briefing.json").read_text("utf-8"))
    html = (work / "out" / "briefing.html").read_text("utf-8")
    assert f"第{model['issue']}期" in html


def test_archive_copies_are_reported_and_in_the_manifest(work):
    result = make("--format", "json", "--archive")
    assert result.exit_code == 0 and "wrote out/2023-01-05-briefing.json" in result.output
    manifest = assert_consistent(work / "out")
    assert manifest["documents"]["2023-01-05-briefing.json"]["archive"] is True
    assert make("--format", "json", "-q", "--date", "2023-01-06", "--archive").exit_code == 0
    assert {"2023-01-05-briefing.json", "2023-01-06-briefing.json"} <= set(assert_consistent(work / "out")["documents"])


def test_documents_follow_the_umask_and_keep_a_narrower_mode(work):
    previous = os.umask(0o077)
    try:
        assert make("--format", "json", "-q").exit_code == 0
    finally:
        os.umask(previous)
    assert stat.S_IMODE((work / "out" / "briefing.json").stat().st_mode) == 0o600
    assert make("--format", "json", "-q", "--issue", "2").exit_code == 0
    assert stat.S_IMODE((work / "out" / "briefing.json").stat().st_mode) == 0o600


# --- caches ------------------------------------------------------------------------------------


def test_the_tokenizer_never_reads_a_shared_tmp_cache(tmp_path, monkeypatch):
    import marshal
    import tempfile

    from briefing.tokenizer import jieba, new_tokenizer

    shared = tmp_path / "tmp"
    shared.mkdir()
    (shared / "jieba.cache").write_bytes(marshal.dumps(({"委": 1, "员": 1, "委员": 0}, 2)))
    monkeypatch.setattr(tempfile, "tempdir", str(shared))
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("x", "utf-8")
    tokenizer = new_tokenizer(blocked / "cache")
    assert tokenizer.lcut("委员工作室") == ["委员", "工作室"]
    assert sorted(p.name for p in shared.iterdir()) == ["jieba.cache"]
    assert len(tokenizer.FREQ) > 100_000 and jieba.__version__


def test_a_cache_folder_others_can_write_is_not_used(tmp_path):
    from briefing.tokenizer import new_tokenizer

    shared = tmp_path / "shared"
    shared.mkdir()
    os.chmod(shared, 0o777)
    new_tokenizer(shared)
    assert list(shared.iterdir()) == []


def test_old_caches_are_pruned_and_the_current_one_kept(tmp_path):
    from briefing.tokenizer import new_tokenizer

    old = tmp_path / "jieba-0.41-123-456.dict"
    old.write_bytes(b"old")
    os.utime(old, (time.time() - 3 * 86400,) * 2)
    new_tokenizer(tmp_path)
    (current,) = tmp_path.iterdir()
    assert current.name.startswith("jieba-") and current.stat().st_size > 1_000_000


def test_a_cache_of_another_dictionary_is_not_loaded(tmp_path):
    from briefing.tokenizer import new_tokenizer

    new_tokenizer(tmp_path)
    (cache,) = tmp_path.iterdir()
    data = bytearray(cache.read_bytes())
    data[30] ^= 0xFF  # inside the dictionary's SHA-256 in the header
    cache.write_bytes(bytes(data))
    assert new_tokenizer(tmp_path).lcut("委员工作室") == ["委员", "工作室"]
    assert cache.read_bytes() != bytes(data)


# --- bounded work ------------------------------------------------------------------------------


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="《》“”‘’（）〈〉12个委员。！", max_size=60))
def test_the_linear_mask_masks_exactly_the_inside_of_every_name(sentence):
    spans = figures._name_spans(sentence)
    naive = list(sentence)
    for begin, end in spans:
        for i in range(begin + 1, end - 1):
            naive[i] = "＿"
    assert figures._mask(sentence, spans) == "".join(naive)


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="政协委员，。 \u0301a", max_size=2000))
@example("政" * 1200)
@example("a\u0301" * 700)
def test_sentences_are_cut_losslessly_to_a_displayable_length(text):
    pieces = split_sentences(text)
    assert "".join(pieces) == text
    assert all(0 < len(p) <= MAX_SENTENCE for p in pieces)


def test_too_many_seed_files_are_refused_in_one_line(work, monkeypatch):
    import briefing.pipeline as pipeline

    monkeypatch.setattr(pipeline, "MAX_ARTICLES", 3)
    for i in range(4):
        (work / "seeds" / f"t{i}.txt").write_text(f"标题{i}\n\n委员提出建议{i}件。\n", "utf-8")
    assert "more than 3 seed files" in one_line(make("--format", "json"))


# --- summarise's input -------------------------------------------------------------------------


def _summarise(*args: str, **kwargs) -> subprocess.CompletedProcess:
    def limit_memory():
        import resource

        resource.setrlimit(resource.RLIMIT_AS, (2 << 30, 2 << 30))

    return subprocess.run([sys.executable, "-m", "briefing", "summarise", *args], capture_output=True,
                          timeout=60, preexec_fn=limit_memory, **kwargs)


@pytest.mark.slow
def test_summarise_refuses_devices_fifos_and_endless_stdin(tmp_path):
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    for path in ("/dev/zero", str(fifo)):
        run = _summarise(path)
        assert run.returncode == 1
        assert run.stderr.decode().strip() == f"briefing: error: {path}: not a regular file (a device, FIFO or socket)"
    run = _summarise("-", input=("委员提出建议。" * 600_000).encode())
    assert run.returncode == 1 and run.stderr.decode().strip().endswith("the limit is 10 MB")


def test_summarise_jsonl_checks_every_line_before_printing(tmp_path):
    good = '{"id": 1, "text": "州政协建立委员工作室218个。"}\n'
    for bad in ["[" * 100_000 + "]" * 100_000, '{"id": "\\ud800", "text": "x"}', '{"id": NaN, "text": "x"}']:
        feed = tmp_path / "feed.jsonl"
        feed.write_text(good + bad + "\n", "utf-8")
        result = CliRunner().invoke(main, ["summarise", "--jsonl", str(feed)])
        assert one_line(result).startswith(f"briefing: error: {feed}:2: ")


def test_summarise_says_when_there_is_nothing_to_pick(tmp_path):
    article = tmp_path / "a.txt"
    article.write_text("   \n——\n", "utf-8")
    result = CliRunner().invoke(main, ["summarise", str(article)])
    assert one_line(result).startswith(f"briefing: error: {article}: ")


# --- text that changes meaning -----------------------------------------------------------------


def test_control_characters_in_options_and_settings_are_refused_before_any_work(work):
    assert "U+001F" in make("--format", "json", "--title", "标题\x1f").output
    assert not (work / "out").exists()
    (work / "briefing.toml").write_text('name = "简报\\u202e"\n', "utf-8")
    assert "'name' holds the control character U+202E" in one_line(make("--format", "json"))
    assert not (work / "out").exists()


def test_bidi_controls_are_removed_from_seed_text_with_a_warning(work):
    (work / "seeds" / "b.txt").write_text("标题\n\n全州投入资金\u202e218\u202c亿元。\n", "utf-8")
    result = make("--format", "json")
    assert result.exit_code == 0 and "bidi" in result.output
    text = (work / "out" / "briefing.json").read_text("utf-8")
    assert "\u202e" not in text and "全州投入资金218亿元" in text


# --- smaller -----------------------------------------------------------------------------------


def test_dates_a_docx_cannot_store_are_refused(work, monkeypatch):
    assert make("--date", "2108-01-01", "--format", "json").exit_code == 2
    (work / "briefing.toml").write_text('date = "1979-12-31"\n', "utf-8")
    assert "between 1980-01-01 and 2107-12-31" in one_line(CliRunner().invoke(main, ["make", "--format", "json"]))
    (work / "briefing.toml").unlink()
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(200 * 365 * 86400))
    assert "SOURCE_DATE_EPOCH" in one_line(CliRunner().invoke(main, ["make", "--format", "json"]))


@pytest.mark.parametrize(
    ("toml", "problem"),
    [
        ("sentences = 1000000\n", "'sentences' must be a whole number from 1 to 20"),
        ("issue = 100001\n", "'issue' must be a whole number from 1 to 100000"),
        ('[distribution]\n"报" = 3\n', "'distribution.报' must be text"),
        (f'title = "{"题" * 201}"\n', "'title' is 201 characters long; the limit is 200"),
    ],
)
def test_settings_are_as_strict_as_the_command_line(work, toml, problem):
    (work / "briefing.toml").write_text(toml, "utf-8")
    assert one_line(make("--format", "json")) == f"briefing: error: briefing.toml: {problem}"


def test_settings_with_a_bom_read_and_a_device_is_refused(work):
    (work / "briefing.toml").write_bytes(b"\xef\xbb\xbfissue = 3\n")
    assert make("--format", "json", "-q").exit_code == 0
    assert json.loads((work / "out" / "briefing.json").read_text("utf-8"))["issue"] == 3
    assert one_line(make("--config", "/dev/zero")) == "briefing: error: /dev/zero: not a regular file"


@pytest.mark.slow
def test_a_closed_stderr_does_not_fail_the_run(work):
    run = subprocess.run(_command("--format", "json"), cwd=work, preexec_fn=lambda: os.close(2), timeout=120)
    assert run.returncode == 0 and (work / "out" / "briefing.json").is_file()


def test_seeds_outside_the_working_folder_are_named_by_file_only(work, tmp_path_factory):
    elsewhere = tmp_path_factory.mktemp("home") / "x.txt"
    shutil.copy(next((work / "seeds").iterdir()), elsewhere)
    assert make("--format", "json", "-q", "--seeds", str(elsewhere)).exit_code == 0
    text = (work / "out" / "briefing.json").read_text("utf-8") + (work / "out" / "manifest.json").read_text("utf-8")
    assert str(elsewhere.parent) not in text and '"source": "x.txt"' in text


def test_a_seed_named_twice_is_read_once_with_a_warning(work):
    seed = next((work / "seeds").iterdir())
    result = make("--format", "json", "--seeds", "seeds", "--seeds", f"seeds/{seed.name}")
    assert f"briefing: warning: seeds/{seed.name}: given more than once; read once" in result.output
    assert len(json.loads((work / "out" / "briefing.json").read_text("utf-8"))["articles"]) == 2


@pytest.mark.slow
def test_sigterm_ends_a_real_run_in_one_line_with_no_process_left(work):
    process = subprocess.Popen(_command("--format", "pdf,docx"), cwd=work, stderr=subprocess.PIPE, text=True,
                               start_new_session=True)
    time.sleep(1.0)
    process.send_signal(signal.SIGTERM)
    _out, err = process.communicate(timeout=60)
    assert "Traceback" not in err
    assert process.returncode in (0, 143), err
    if process.returncode == 143:
        assert err.strip().splitlines()[-1].startswith("briefing: terminated")
    group = subprocess.run(["pgrep", "-g", str(process.pid)], capture_output=True, text=True).stdout.split()
    assert [pid for pid in group if _alive(int(pid))] == []


@pytest.mark.slow
def test_few_open_files_are_raised_to_what_is_needed_or_refused_in_one_line(work):
    import resource

    _soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    for limits, code in (((8, hard), 0), ((8, 8), 1)):
        run = subprocess.run(_command("--format", "pdf", "-q"), cwd=work, capture_output=True, text=True, timeout=120,
                             preexec_fn=lambda limits=limits: resource.setrlimit(resource.RLIMIT_NOFILE, limits))
        assert run.returncode == code, run.stderr
        if code:
            assert run.stderr.strip() == "briefing: error: ulimit -n: only 8 open files allowed; briefing needs 64"


def test_without_symbolic_links_each_document_is_replaced_whole_manifest_last(work, monkeypatch):
    monkeypatch.setattr(output, "_symlinks_work", lambda _state: False)
    assert make("--format", "json,html", "-q").exit_code == 0
    assert not (work / "out" / "briefing.json").is_symlink()
    assert make("--format", "json,html", "-q", "--issue", "2").exit_code == 0
    assert_consistent(work / "out")


def test_a_state_folder_that_is_a_link_is_refused(work, tmp_path_factory):
    (work / "out").mkdir()
    os.symlink(tmp_path_factory.mktemp("elsewhere"), work / "out" / ".briefing")
    assert one_line(make("--format", "json")) == "briefing: error: out/.briefing: is not a folder (a link?); remove it"
