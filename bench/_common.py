"""Shared helpers for the bench scripts: the machine line, tables, peers, child-process timing."""

from __future__ import annotations

import json
import os
import platform
import re
import resource
import statistics
import subprocess
import sys
import time
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
_SCRIPT = Path(sys.executable).parent / "briefing"
# The installed console script, as a user runs it; else the module.
BRIEFING = [str(_SCRIPT)] if _SCRIPT.exists() else [PYTHON, "-m", "briefing"]
SEEDS = ROOT / "seeds"

if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


def version(name: str) -> str:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "absent"


def machine_line() -> str:
    return (
        f"machine: {os.cpu_count()} CPU, Python {platform.python_version()}, "
        f"jieba {version('jieba')}, WeasyPrint {version('weasyprint')}, python-docx {version('python-docx')}"
        f", {platform.machine()} {platform.system()}, load average {os.getloadavg()[0]:.2f}"
    )


def print_machine() -> None:
    print(machine_line(), flush=True)


def table(headers: list[str], rows: list[list[object]], title: str | None = None) -> str:
    """A GitHub-flavoured Markdown table (pastes straight into bench/README.md)."""
    cells = [[str(c) for c in row] for row in rows]
    lines = []
    if title:
        lines.append(f"\n{title}\n")
    lines.append("| " + " | ".join(headers) + " |")
    lines.append("|" + "|".join("---" for _ in headers) + "|")
    for row in cells:
        lines.append("| " + " | ".join(row) + " |")
    return "\n".join(lines)


def median_time(fn, runs: int) -> tuple[float, object]:
    """Median wall seconds of `runs` calls of fn(); also the last result."""
    times = []
    result = None
    for _ in range(runs):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


# --- fresh processes: wall time and peak RSS -----------------------------------------

_MEASURE = r"""
import json, resource, subprocess, sys, time
cmd = json.loads(sys.argv[1]); cwd = sys.argv[2] or None
start = time.perf_counter()
proc = subprocess.run(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
wall = time.perf_counter() - start
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
peak = usage.ru_maxrss  # KiB on Linux: the largest process, not the sum
print(json.dumps({"wall": wall, "rss_kib": peak, "cpu": usage.ru_utime + usage.ru_stime, "rc": proc.returncode,
                  "stderr": proc.stderr.decode("utf-8", "replace")[-2000:]}))
"""


def run_fresh(cmd: list[str], cwd: Path | None = None, env: dict[str, str] | None = None) -> dict:
    """Run `cmd` as the only child of a small watcher process, so RUSAGE_CHILDREN maxrss is
    exactly that command's peak RSS (not the maximum over everything this script ever ran)."""
    out = subprocess.run(
        [PYTHON, "-c", _MEASURE, json.dumps(cmd), str(cwd or "")],
        capture_output=True, text=True, env=env, check=True,
    )
    return json.loads(out.stdout)


def fresh_runs(cmd: list[str], runs: int, cwd: Path | None = None) -> dict:
    """Median wall seconds and median peak RSS (MiB) over `runs` fresh processes."""
    return _summary([run_fresh(cmd, cwd) for _ in range(runs)])


def interleaved_runs(cmds: dict[str, list[str]], runs: int, cwd: Path | None = None) -> dict[str, dict]:
    """`fresh_runs` for several commands, taken in turn (A B C, A B C, …) so that a burst of load
    from other jobs on the machine falls on all of them alike and their ratios stay fair."""
    results: dict[str, list[dict]] = {name: [] for name in cmds}
    for _ in range(runs):
        for name, cmd in cmds.items():
            results[name].append(run_fresh(cmd, cwd))
    return {name: _summary(rs) for name, rs in results.items()}


def _summary(results: list[dict]) -> dict:
    failed = [r for r in results if r["rc"] != 0]
    if failed:
        return {"wall": float("nan"), "rss_mib": float("nan"), "rc": failed[0]["rc"],
                "stderr": failed[0]["stderr"], "walls": [r["wall"] for r in results]}
    return {
        "wall": statistics.median(r["wall"] for r in results),
        "rss_mib": statistics.median(r["rss_kib"] for r in results) / 1024,
        "cpu": statistics.median(r["cpu"] for r in results),
        "rc": 0,
        "walls": [r["wall"] for r in results],
        "stderr": "",
    }


def one_core() -> list[str] | None:
    """``taskset -c N`` (N the first usable core), to run a command pinned to one core; None
    when taskset is missing or only one core is usable anyway."""
    import shutil

    cores = sorted(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else []
    if len(cores) < 2 or not shutil.which("taskset"):
        return None
    return ["taskset", "-c", str(cores[0])]


def own_peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def briefing_formats_available() -> set[str]:
    """Formats the installed package can write now (renderers may land later)."""
    try:
        from briefing.render import WRITERS
    except Exception:  # noqa: BLE001
        return set()
    return set(WRITERS)


# --- peers (also used by speed.py) ----------------------------------------------------

# TextRank4ZH's sentence delimiters (。！？!?；;… and newline), kept with the sentence they end.
TR4ZH_DELIMS = re.compile(r"(?<=[。！？!?；;…\n])")


def tr4zh_stopwords() -> frozenset[str]:
    try:
        import textrank4zh
    except ImportError:
        return frozenset()
    path = Path(textrank4zh.__file__).parent / "stopwords.txt"
    return frozenset(path.read_text("utf-8").split())


class JiebaSumyTokenizer:
    """sumy tokenizer object for Chinese, no nltk data: sentences cut at TextRank4ZH's delimiters,
    words from jieba. (This, with TextRank4ZH's stop-word list, is the set-up that reproduces the
    eval README's sumy rows; briefing's own splitter costs sumy LexRank about 0.3 R-L.)"""

    def __init__(self) -> None:
        import jieba

        self._split = TR4ZH_DELIMS.split
        self._jieba = jieba.Tokenizer()
        self._jieba.initialize()

    @property
    def language(self) -> str:
        return "chinese"

    def to_sentences(self, paragraph: str):
        return tuple(s.strip() for s in self._split(paragraph) if s.strip())

    def to_words(self, sentence: str):
        return tuple(w for w in self._jieba.lcut(sentence) if w.strip())


class Peers:
    """Peer summarisers; each `name -> fn(text, k) -> list[str]`. Construction loads the models."""

    def __init__(self) -> None:
        import logging
        import warnings

        logging.getLogger("jieba").setLevel(logging.WARNING)
        try:
            import jieba

            jieba.setLogLevel(logging.WARNING)  # its logger is set to DEBUG explicitly
        except ImportError:
            pass
        # sumy's LexRank divides by a zero norm on one-sentence texts; the result is still usable.
        warnings.filterwarnings("ignore", category=RuntimeWarning, module=r"sumy\.")
        self.notes: list[str] = []
        self.fns: dict[str, object] = {}
        self._sumy()
        self._textrank4zh()
        self._snownlp()

    def _sumy(self) -> None:
        try:
            from sumy.parsers.plaintext import PlaintextParser
            from sumy.summarizers.lex_rank import LexRankSummarizer
            from sumy.summarizers.text_rank import TextRankSummarizer
        except Exception as error:  # noqa: BLE001
            self.notes.append(f"sumy unavailable: {type(error).__name__}: {error}")
            return
        tokenizer = JiebaSumyTokenizer()
        lex, tr = LexRankSummarizer(), TextRankSummarizer()
        lex.stop_words = tr.stop_words = tr4zh_stopwords()

        def run(summarizer, text: str, k: int) -> list[str]:
            parser = PlaintextParser.from_string(text, tokenizer)
            return [str(s) for s in summarizer(parser.document, k)]

        self.fns[f"sumy {version('sumy')} LexRank, jieba tokens"] = lambda t, k: run(lex, t, k)
        self.fns[f"sumy {version('sumy')} TextRank, jieba tokens"] = lambda t, k: run(tr, t, k)

    def _textrank4zh(self) -> None:
        try:
            import networkx as nx
            from textrank4zh import TextRank4Sentence, util
        except Exception as error:  # noqa: BLE001
            self.notes.append(f"TextRank4ZH unavailable: {type(error).__name__}: {error}")
            return
        # textrank4zh 0.3 calls nx.from_numpy_matrix, removed in networkx 3.0; and networkx 3's
        # pagerank needs SciPy, which is not a bench dependency. Shim both (same graph, same
        # PageRank; the pure-Python power iteration of networkx itself).
        shims = []
        if not hasattr(nx, "from_numpy_matrix"):
            util.nx.from_numpy_matrix = nx.from_numpy_array
            shims.append("nx.from_numpy_matrix→from_numpy_array")
        try:
            import scipy  # noqa: F401
        except ImportError:
            from networkx.algorithms.link_analysis.pagerank_alg import _pagerank_python

            util.nx.pagerank = _pagerank_python
            shims.append("pagerank→networkx _pagerank_python (no SciPy)")
        if shims:
            self.notes.append(f"TextRank4ZH {version('textrank4zh')} on networkx {nx.__version__}: shimmed "
                              + ", ".join(shims))
        tr4s = TextRank4Sentence()

        def run(text: str, k: int) -> list[str]:
            tr4s.analyze(text=text, lower=True, source="all_filters")
            return [item.sentence for item in tr4s.get_key_sentences(num=k)]

        self.fns[f"TextRank4ZH {version('textrank4zh')}"] = run

    def _snownlp(self) -> None:
        try:
            from snownlp import SnowNLP
        except Exception as error:  # noqa: BLE001
            self.notes.append(f"SnowNLP unavailable: {type(error).__name__}: {error}")
            return
        self.fns[f"SnowNLP {version('snownlp')} summary"] = lambda t, k: SnowNLP(t).summary(k)
