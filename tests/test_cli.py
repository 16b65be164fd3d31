"""The command line as users drive it: every option, the settings file, errors and exit codes."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from briefing import __version__
from briefing.cli import main

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture()
def workdir(tmp_path, seed_path, monkeypatch):
    """A working folder with seeds/ holding the seed, as a user's checkout has."""
    (tmp_path / "seeds").mkdir()
    shutil.copy(seed_path, tmp_path / "seeds" / seed_path.name)
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    return tmp_path


def run(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def read_json(path: Path) -> dict:
    return json.loads(path.read_text("utf-8"))


def test_make_json_reads_seeds_and_writes_out_briefing_json(workdir):
    result = run("make", "--format", "json", "--date", "2023-01-05")
    assert result.exit_code == 0, result.output
    data = read_json(workdir / "out" / "briefing.json")
    assert data["date"] == "2023-01-05"
    assert data["title"] == "楚雄州 红河州政协履职工作要点"
    assert [a["region"] for a in data["articles"]] == ["楚雄州", "红河州"]
    assert data["articles"][0]["source"] == "seeds/2022-chuxiong-honghe-zhengxie.txt"
    assert "read 1 file(s): 2 article(s), 8 section(s)" in result.output
    assert re.search(r"wrote out/briefing\.json \(\d+ KB\)", result.output)


def test_every_section_has_key_sentences_and_the_figure_sections_have_figures(workdir):
    run("make", "--format", "json", "--date", "2023-01-05")
    data = read_json(workdir / "out" / "briefing.json")
    for article in data["articles"]:
        assert 1 <= len(article["overview"]) <= 2
        for section in article["sections"]:
            assert len(section["key_sentences"]) == 2
            for key in section["key_sentences"]:
                paragraph = section["paragraphs"][key["paragraph"]]
                assert key["text"] in paragraph
            for figure in section["figures"]:
                sentence = section["sentences"][figure["paragraph"]][figure["sentence"]]
                assert figure["text"] in sentence


def test_sentences_issue_title_options_reach_the_output(workdir):
    result = run("make", "--format", "json", "--sentences", "1", "--issue", "7", "--title", "测试标题",
                 "--date", "2023-01-05")
    assert result.exit_code == 0, result.output
    data = read_json(workdir / "out" / "briefing.json")
    assert data["issue"] == 7 and data["title"] == "测试标题"
    counts = [len(s["key_sentences"]) for a in data["articles"] for s in a["sections"]]
    assert max(counts) == 1  # --sentences is a maximum: the long sections would get 2
    assert run("make", "--format", "json", "--out", "wide").exit_code == 0
    assert max(len(s["key_sentences"]) for a in read_json(workdir / "wide" / "briefing.json")["articles"]
               for s in a["sections"]) == 2


def test_date_comes_from_source_date_epoch_when_not_given(workdir, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1672876800")  # 2023-01-05 00:00 UTC
    assert run("make", "--format", "json").exit_code == 0
    assert read_json(workdir / "out" / "briefing.json")["date"] == "2023-01-05"


def test_seeds_and_out_options_take_files_and_folders_and_repeat(workdir, seed_path):
    other = workdir / "more"
    other.mkdir()
    shutil.copy(seed_path, other / "b.txt")
    result = run("make", "--format", "json", "--seeds", "seeds", "--seeds", str(other / "b.txt"),
                 "--out", "build/x", "--date", "2023-01-05")
    assert result.exit_code == 0, result.output
    data = read_json(workdir / "build" / "x" / "briefing.json")
    assert [a["source"] for a in data["articles"]] == ["seeds/2022-chuxiong-honghe-zhengxie.txt"] * 2 + [
        "more/b.txt"
    ] * 2


def test_format_takes_repeats_comma_lists_and_all(workdir):
    assert run("make", "--format", "json,html", "--date", "2023-01-05", "-q").exit_code == 0
    assert (workdir / "out" / "briefing.json").exists() and (workdir / "out" / "briefing.html").exists()
    result = run("make", "--format", "json", "--format", "json", "--date", "2023-01-05")
    assert result.output.count("wrote out/briefing.json") == 1


def test_unknown_format_is_a_usage_error(workdir):
    result = CliRunner().invoke(main, ["make", "--format", "odt"])
    assert result.exit_code == 2
    assert "'odt' is not one of pdf, docx, html, json, all" in result.output


def test_archive_writes_a_dated_copy_and_the_manifest_lists_documents(workdir):
    result = run("make", "--format", "json", "--date", "2023-01-05", "--archive")
    assert result.exit_code == 0, result.output
    out = workdir / "out"
    assert (out / "2023-01-05-briefing.json").read_bytes() == (out / "briefing.json").read_bytes()
    manifest = read_json(out / "manifest.json")
    entry = manifest["documents"]["briefing.json"]
    assert entry["size"] == (out / "briefing.json").stat().st_size
    import hashlib

    assert entry["sha256"] == hashlib.sha256((out / "briefing.json").read_bytes()).hexdigest()
    assert manifest["sources"][0]["path"] == "seeds/2022-chuxiong-honghe-zhengxie.txt"


def test_quiet_prints_nothing_and_verbose_prints_timings(workdir):
    quiet = run("make", "--format", "json", "--date", "2023-01-05", "-q")
    assert quiet.exit_code == 0 and quiet.output == ""
    verbose = run("make", "--format", "json", "--date", "2023-01-05", "-v")
    assert re.search(r"wrote out/briefing\.json .*\[\d+\.\d\d s\]", verbose.output)


def test_settings_file_sets_defaults_and_options_override_it(workdir):
    (workdir / "briefing.toml").write_text(
        'name = "市政协工作简报"\nunit = "市政协办公室"\nissue = 4\nsentences = 1\n'
        '[distribution]\n"报" = "市委办公室"\n', "utf-8"
    )
    assert run("make", "--format", "json", "--date", "2023-01-05").exit_code == 0
    data = read_json(workdir / "out" / "briefing.json")
    assert (data["name"], data["unit"], data["issue"]) == ("市政协工作简报", "市政协办公室", 4)
    assert all(len(s["key_sentences"]) == 1 for a in data["articles"] for s in a["sections"])
    assert run("make", "--format", "json", "--issue", "5", "--date", "2023-01-05").exit_code == 0
    assert read_json(workdir / "out" / "briefing.json")["issue"] == 5


def test_pyproject_tool_briefing_table_is_read(workdir):
    (workdir / "pyproject.toml").write_text('[tool.briefing]\nunit = "州政协办公室"\n', "utf-8")
    assert run("make", "--format", "json", "--date", "2023-01-05").exit_code == 0
    assert read_json(workdir / "out" / "briefing.json")["unit"] == "州政协办公室"


def test_config_option_names_the_file_and_unknown_keys_are_errors(workdir):
    (workdir / "office.toml").write_text('nmae = "x"\n', "utf-8")
    result = run("make", "--format", "json", "--config", "office.toml")
    assert result.exit_code == 1
    assert result.output.startswith("briefing: error: office.toml: unknown setting 'nmae'")
    (workdir / "office.toml").write_text('[fonts]\nbody = "仿宋_GB2312"\nsize = "16"\n', "utf-8")
    result = run("make", "--format", "json", "--config", "office.toml")
    assert result.exit_code == 1 and "unknown setting 'fonts.size'" in result.output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--seeds", "nowhere"], "briefing: error: nowhere: no such file or folder"),
        (["--config", "missing.toml"], "briefing: error: missing.toml: no such file"),
    ],
)
def test_input_problems_are_one_line_and_exit_code_1(workdir, args, message):
    result = run("make", "--format", "json", *args)
    assert result.exit_code == 1
    assert result.output.strip() == message


def test_version_and_help_with_examples():
    assert run("--version").output.strip() == f"briefing, version {__version__}"
    for command in ([], ["make"], ["summarise"]):
        result = run(*command, "--help")
        assert result.exit_code == 0 and "Example" in result.output


def test_python_dash_m_briefing_is_the_same_command():
    result = subprocess.run([sys.executable, "-m", "briefing", "--version"], capture_output=True, text=True, encoding="utf-8",
                            env={**os.environ}, check=True)
    assert result.stdout.strip() == f"briefing, version {__version__}"


def _options_of(command) -> set[str]:
    names = set()
    for param in command.params:
        names.update(o for o in param.opts if o.startswith("--"))
    return names - {"--help"}


def test_every_command_and_option_is_in_the_readme():
    readme = (ROOT / "README.md").read_text("utf-8")
    for name, command in main.commands.items():
        assert f"briefing {name}" in readme, name
        for option in _options_of(command):
            assert option in readme, f"{name} {option}"
    assert "--version" in readme


def test_bad_date_and_empty_format_are_usage_errors(workdir):
    result = CliRunner().invoke(main, ["make", "--format", "json", "--date", "2023-13-45"])
    assert result.exit_code == 2 and "'2023-13-45' is not a date like 2023-01-05" in result.output
    result = CliRunner().invoke(main, ["make", "--format", ""])
    assert result.exit_code == 2 and "give at least one of pdf, docx, html, json, all" in result.output


def test_a_bad_date_in_the_settings_file_names_the_file(workdir):
    (workdir / "briefing.toml").write_text('date = "2023-13-01"\n', "utf-8")
    result = run("make", "--format", "json")
    assert result.exit_code == 1
    assert result.output.strip() == "briefing: error: briefing.toml: 'date' must be a date like 2023-01-05, not '2023-13-01'"


def test_the_manifest_keeps_other_formats_only_of_the_same_briefing(workdir):
    assert run("make", "--format", "json", "--date", "2023-01-05", "-q").exit_code == 0
    assert run("make", "--format", "html", "--date", "2023-01-05", "-q").exit_code == 0
    manifest = read_json(workdir / "out" / "manifest.json")
    assert set(manifest["documents"]) == {"briefing.json", "briefing.html"}
    assert run("make", "--format", "html", "--date", "2023-01-06", "-q").exit_code == 0
    manifest = read_json(workdir / "out" / "manifest.json")
    assert set(manifest["documents"]) == {"briefing.html"}  # briefing.json is the 5 January one


def test_the_manifest_drops_a_document_whose_file_changed_or_went(workdir):
    assert run("make", "--format", "json", "--date", "2023-01-05", "-q").exit_code == 0
    assert run("make", "--format", "html", "--date", "2023-01-05", "-q").exit_code == 0
    with open(workdir / "out" / "briefing.json", "a", encoding="utf-8") as handle:
        handle.write(" ")  # edited by hand: no longer the briefing the manifest describes
    assert run("make", "--format", "html", "--date", "2023-01-05", "-q").exit_code == 0
    assert set(read_json(workdir / "out" / "manifest.json")["documents"]) == {"briefing.html"}
    assert run("make", "--format", "json", "--date", "2023-01-05", "-q").exit_code == 0
    (workdir / "out" / "briefing.html").unlink()
    assert run("make", "--format", "json", "--date", "2023-01-05", "-q").exit_code == 0
    import hashlib

    # Whatever it lists (a document may be put back from the current set) is there, as listed.
    documents = read_json(workdir / "out" / "manifest.json")["documents"]
    assert "briefing.json" in documents
    for name, entry in documents.items():
        path = workdir / "out" / name
        assert path.is_file() and hashlib.sha256(path.read_bytes()).hexdigest() == entry["sha256"], name
    # The document itself gone from the set (its file, not only the name a reader uses): the
    # next run leaves it out of the manifest and still succeeds.
    assert run("make", "--format", "html", "--date", "2023-01-05", "-q").exit_code == 0
    (workdir / "out" / "briefing.html").resolve().unlink()
    assert run("make", "--format", "json", "--date", "2023-01-05", "-q").exit_code == 0
    assert set(read_json(workdir / "out" / "manifest.json")["documents"]) == {"briefing.json"}


def test_the_manifest_drops_other_formats_when_the_sources_change(workdir, seed_path):
    import hashlib

    assert run("make", "--format", "json", "--date", "2023-01-05", "-q").exit_code == 0
    seed = workdir / "seeds" / seed_path.name
    seed.write_text(seed.read_text("utf-8") + "\n州政协召开常委会会议，审议通过3项议案。\n", "utf-8")
    assert run("make", "--format", "html", "--date", "2023-01-05", "-q").exit_code == 0
    manifest = read_json(workdir / "out" / "manifest.json")
    assert set(manifest["documents"]) == {"briefing.html"}  # briefing.json was made from the old seed
    assert manifest["sources"] == [{"path": f"seeds/{seed_path.name}",
                                    "sha256": hashlib.sha256(seed.read_bytes()).hexdigest()}]
