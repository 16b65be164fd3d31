"""The shipped summariser weights are what bench/fit_summariser.py fits on the editors' DEV picks."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parent.parent / "bench"


@pytest.mark.slow
def test_shipped_weights_are_refitted_exactly_from_the_dev_annotations():
    sys.path.insert(0, str(BENCH))
    try:
        from _devset import load
        from fit_summariser import WEIGHTS, examples, fit, neutral, prior_vector
    finally:
        sys.path.remove(str(BENCH))
    from briefing.summarise import FEATURES, Summariser

    items = load(split="DEV")
    assert len(items) == 16 and all(item.split == "DEV" for item in items)
    weights, bias = fit(examples(items, Summariser(neutral())), prior=prior_vector())
    shipped = json.loads(WEIGHTS.read_text("utf-8"))
    assert list(shipped["weights"]) == list(FEATURES)
    assert [shipped["weights"][name] for name in FEATURES] == pytest.approx(weights, abs=1e-5)
    assert shipped["bias"] == pytest.approx(bias, abs=1e-5)
