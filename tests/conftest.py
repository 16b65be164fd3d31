"""Shared fixtures: the seed file and one summariser (jieba loads once per test run)."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "seeds" / "2022-chuxiong-honghe-zhengxie.txt"


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
