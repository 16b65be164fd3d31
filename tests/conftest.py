"""Shared fixtures (the seed, one summariser), the golden files, and the settings CI runs under.

Goldens (``tests/golden/*``, ``tests/cases/**/*.expected``) change only deliberately: ``make golden``
(or ``pytest -m golden --update-goldens=yes``) rewrites them, reports each rewritten test as
skipped, never as passed, and refuses under ``CI``. The old variables that rewrote goldens as a
side effect of a test run (``BRIEFING_UPDATE_GOLDEN``, ``BRIEFING_ACCEPT``) make the run refuse:
one left exported would otherwise accept any change.
"""

from __future__ import annotations

import difflib
import os
from pathlib import Path

import pytest
from hypothesis import settings

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "seeds" / "2022-chuxiong-honghe-zhengxie.txt"
RETIRED_VARIABLES = ("BRIEFING_UPDATE_GOLDEN", "BRIEFING_ACCEPT")

# Under CI every run tries the same examples (a rare failure cannot flip CI red and green) and
# writes no example database; locally each run explores new ones and remembers failures.
settings.register_profile("ci", derandomize=True, database=None, print_blob=True)
settings.register_profile("dev")
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE") or ("ci" if os.environ.get("CI") else "dev"))


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-goldens", metavar="yes", default=None,
        help="rewrite every golden file instead of comparing with it; only with the value 'yes', "
        "never under CI. Rewritten tests are reported as skipped. Review `git diff tests/` after.",
    )


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "golden: compares with a golden file (make golden rewrites them)")
    for name in RETIRED_VARIABLES:
        if name in os.environ:
            raise pytest.UsageError(
                f"{name} is set: it no longer rewrites goldens and this run refuses while it is set; "
                "unset it, and rewrite goldens deliberately with `make golden`"
            )
    answer = config.getoption("--update-goldens")
    if answer is not None:
        if answer != "yes":
            raise pytest.UsageError(f"--update-goldens takes only the value 'yes', not {answer!r}")
        if os.environ.get("CI"):
            raise pytest.UsageError("--update-goldens refuses under CI: goldens are rewritten by hand and reviewed")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "golden" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.golden)


class Golden:
    """Compare a text with its golden file, or (with ``--update-goldens=yes``) rewrite it and skip."""

    def __init__(self, update: bool) -> None:
        self.update = update

    def check(self, path: Path, actual: str) -> None:
        name = path.relative_to(ROOT).as_posix() if path.is_relative_to(ROOT) else str(path)
        old = path.read_text("utf-8") if path.exists() else None
        if self.update:
            if old == actual:
                pytest.skip(f"--update-goldens: {name} unchanged")
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(actual, "utf-8")
            pytest.skip(f"--update-goldens: rewrote {name}; review `git diff {name}`")
        assert old is not None, f"{name} is missing; write it with `make golden` and review it"
        if actual != old:
            diff = difflib.unified_diff(old.splitlines(), actual.splitlines(), name, "now", lineterm="", n=1)
            shown = "\n".join(list(diff)[:60])
            pytest.fail(f"{name} differs from what the code makes now:\n{shown}\n"
                        "If the change is deliberate: `make golden`, then review the diff.", pytrace=False)


@pytest.fixture(scope="session")
def golden(request: pytest.FixtureRequest) -> Golden:
    return Golden(request.config.getoption("--update-goldens") == "yes")


@pytest.fixture(scope="session")
def seed_path() -> Path:
    return SEED


@pytest.fixture(scope="session")
def seed_articles():
    from briefing.pipeline import read_seed_file

    articles, warnings = read_seed_file(SEED)
    assert warnings == []
    return articles


@pytest.fixture(scope="session")
def summariser():
    from briefing.summarise import Summariser

    return Summariser()


@pytest.fixture(scope="session")
def seed_run(tmp_path_factory, seed_path):
    """``briefing make --format all --archive`` on the seed, as the workflow runs it, once.

    Also the same briefing built in this process (`briefing`), to check the documents against."""
    import shutil
    from types import SimpleNamespace

    from click.testing import CliRunner

    from briefing.cli import main
    from briefing.pipeline import build_briefing

    work = tmp_path_factory.mktemp("seed-run")
    (work / "seeds").mkdir()
    shutil.copy(seed_path, work / "seeds" / seed_path.name)
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(work)
        patch.delenv("SOURCE_DATE_EPOCH", raising=False)
        result = CliRunner().invoke(
            main, ["make", "--format", "all", "--archive", "--date", "2023-01-05", "--issue", "7"],
            catch_exceptions=False,
        )
    from briefing.config import Settings
    from briefing.pipeline import summarised_articles

    # As the command builds it (default settings, the seed as read from the working folder).
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(work)
        articles, _warnings, _sources = summarised_articles([Path("seeds") / seed_path.name], Settings())
    briefing = build_briefing(articles, None, "2023-01-05")
    return SimpleNamespace(work=work, out=work / "out", result=result, briefing=briefing)
