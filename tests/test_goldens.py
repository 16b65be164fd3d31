"""Goldens change only deliberately: the test suite run on a copy of the project with a changed
template, as CI would run it, as a forgetful developer would, and as ``make golden`` does."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = Path("tests") / "golden" / "briefing.html"
TEST = "tests/test_render_html.py::test_html_matches_golden"

pytestmark = pytest.mark.slow


@pytest.fixture()
def project(tmp_path: Path) -> Path:
    """A copy of the package, templates and tests, with a template that drops the figure tables."""
    copy = tmp_path / "project"
    copy.mkdir()
    ignore = shutil.ignore_patterns("__pycache__", ".pytest_cache", ".hypothesis")
    for name in ("briefing", "templates", "tests"):
        shutil.copytree(ROOT / name, copy / name, ignore=ignore)
    shutil.copy(ROOT / "pyproject.toml", copy)
    template = copy / "templates" / "briefing.html.j2"
    text = template.read_text("utf-8")
    start, end = text.index("{%- if s.figures %}"), text.index("{%- endif %}", text.index("{%- if s.figures %}"))
    template.write_text(text[:start] + text[end + len("{%- endif %}"):], "utf-8")
    return copy


def _pytest(project: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    environ = {k: v for k, v in os.environ.items()
               if k not in ("CI", "BRIEFING_UPDATE_GOLDEN", "BRIEFING_ACCEPT", "PYTEST_ADDOPTS")}
    environ.update(env, PYTHONPATH=str(project))  # the copy's package, not the installed one
    return subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-rs", TEST, *args],
                          cwd=project, capture_output=True, text=True, encoding="utf-8", env=environ, timeout=120)


def test_a_changed_template_fails_under_ci_with_every_update_switch_set(project: Path) -> None:
    before = (project / GOLDEN).read_bytes()
    run = _pytest(project, "--update-goldens=yes", CI="true", BRIEFING_UPDATE_GOLDEN="1", BRIEFING_ACCEPT="1")
    assert run.returncode == 4, run.stdout + run.stderr  # refused before any test ran
    run = _pytest(project, CI="true")
    assert run.returncode == 1 and "tests/golden/briefing.html differs" in run.stdout
    assert (project / GOLDEN).read_bytes() == before


def test_a_leftover_update_variable_makes_the_run_refuse_and_yes_alone_rewrites(project: Path) -> None:
    """Even set to 0, a variable left exported refuses the run; ``--update-goldens=yes`` rewrites,
    and its test is reported skipped, never passed."""
    before = (project / GOLDEN).read_bytes()
    run = _pytest(project, "--update-goldens=yes", BRIEFING_UPDATE_GOLDEN="0")
    assert run.returncode == 4 and "BRIEFING_UPDATE_GOLDEN is set" in run.stderr, run.stdout + run.stderr
    assert (project / GOLDEN).read_bytes() == before
    run = _pytest(project, "--update-goldens=yes")
    assert run.returncode == 0, run.stdout + run.stderr
    assert "1 skipped" in run.stdout and "passed" not in run.stdout
    assert "rewrote tests/golden/briefing.html" in run.stdout
    after = (project / GOLDEN).read_text("utf-8")
    assert after != before.decode("utf-8") and 'class="figures"' not in after


def test_the_refusals_in_process(pytestconfig) -> None:
    """The option's other values and CI, without a subprocess each."""
    import conftest

    for answer, ci, message in (("y", "", "only the value 'yes'"), ("yes", "true", "refuses under CI")):
        config = type("Config", (), {"getoption": lambda self, name, a=answer: a,
                                     "addinivalue_line": lambda self, *args: None})()
        with pytest.MonkeyPatch.context() as patch:
            patch.setenv("CI", ci) if ci else patch.delenv("CI", raising=False)
            for name in conftest.RETIRED_VARIABLES:
                patch.delenv(name, raising=False)
            with pytest.raises(pytest.UsageError, match=message):
                conftest.pytest_configure(config)
