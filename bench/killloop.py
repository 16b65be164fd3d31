"""Kill loop and concurrent writers on one out folder (issue 18).

1. Kill loop: `briefing make` is started N times (default 50) on the seed, each with a new issue
   number, and the main process gets SIGKILL or SIGTERM at a random moment between start-up and
   a little after a normal run's end. After each kill the out folder must show one whole set:
   every visible document is listed in the manifest with its SHA-256 and the manifest lists
   nothing else, and the set is either the previous one or the new run's (its issue); no process
   of the run may be left.
2. Concurrent runs: eight runs with issues 1–8 start together on one out folder, R rounds; all
   must exit 0 and leave one consistent set.

    .venv/bin/python bench/killloop.py [--kills 50] [--rounds 3] [--formats pdf,docx,json] [--seed 1]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import BRIEFING, SEEDS, print_machine  # noqa: E402


def visible(folder: Path) -> dict[str, str]:
    """Each readable non-hidden file of the out folder and its SHA-256."""
    if not folder.exists():
        return {}
    return {
        entry.name: hashlib.sha256(entry.read_bytes()).hexdigest()
        for entry in sorted(folder.iterdir())
        if not entry.name.startswith(".") and entry.is_file()
    }


def consistent(folder: Path, seen: dict[str, str]) -> str | None:
    """None when the manifest lists exactly the visible documents; else what is wrong."""
    if not seen:
        return None
    if "manifest.json" not in seen:
        return "documents without a manifest"
    manifest = json.loads((folder / "manifest.json").read_text("utf-8"))
    listed = {name: entry["sha256"] for name, entry in manifest["documents"].items()}
    documents = {name: digest for name, digest in seen.items() if name != "manifest.json"}
    return None if listed == documents else f"manifest {sorted(listed)} ≠ files {sorted(documents)}"


def issue_of(folder: Path) -> int | None:
    path = folder / "briefing.json"
    return json.loads(path.read_text("utf-8"))["issue"] if path.is_file() else None


def left_behind(session: int) -> list[str]:
    """Processes of the run's session still alive after 2 s (zombies, waiting to be reaped by
    init, hold no memory or files and do not count)."""
    for _ in range(20):
        alive = []
        for pid in subprocess.run(["pgrep", "-s", str(session)], capture_output=True, text=True).stdout.split():
            try:
                if Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z":
                    alive.append(pid)
            except OSError:
                pass
        if not alive:
            return []
        time.sleep(0.1)
    return alive


def command(formats: str, issue: int) -> list[str]:
    return [*BRIEFING, "make", "--format", formats, "--date", "2023-01-05", "--issue", str(issue), "-q"]


def kill_loop(work: Path, kills: int, formats: str, rng: random.Random) -> bool:
    out = work / "out"
    started = time.perf_counter()
    subprocess.run(command(formats, 1), cwd=work, check=True)
    duration = time.perf_counter() - started
    print(f"kill loop: {kills} runs of `make --format {formats}` (a run takes {duration:.2f} s), "
          "killed at a random moment in [0, 1.3 × that]")
    counts = {"old": 0, "new": 0}
    failures = 0
    for round_ in range(kills):
        before = visible(out)
        issue = round_ + 2
        how = rng.choice((signal.SIGKILL, signal.SIGTERM))
        process = subprocess.Popen(command(formats, issue), cwd=work, start_new_session=True,
                                   stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        time.sleep(rng.uniform(0, 1.3 * duration))
        process.send_signal(how)
        _out, err = process.communicate(timeout=120)
        after = visible(out)
        problem = consistent(out, after)
        outcome = "old" if after == before else "new" if issue_of(out) == issue else None
        if problem is None and outcome is None:
            problem = f"neither the old set nor issue {issue}'s"
        stray = left_behind(process.pid)
        if "Traceback" in err:
            problem = (problem or "") + " traceback: " + err.strip().splitlines()[-1]
        if stray:
            problem = (problem or "") + f" processes left: {stray}"
        if problem:
            failures += 1
            print(f"  run {round_ + 1}: {how.name} exit {process.returncode}: {problem}")
        else:
            counts[outcome] += 1  # type: ignore[index]
    print(f"kill loop: {kills - failures}/{kills} left one whole set and no process "
          f"(old set {counts['old']}, new set {counts['new']}); failures {failures}")
    return failures == 0


def concurrent(work: Path, rounds: int, formats: str) -> bool:
    out = work / "out"
    good = 0
    for round_ in range(rounds):
        started = time.perf_counter()
        runs = [subprocess.Popen(command(formats, issue), cwd=work, stderr=subprocess.PIPE, text=True)
                for issue in range(1, 9)]
        errors = [err for process in runs for err in [process.communicate(timeout=600)[1]] if process.returncode]
        seconds = time.perf_counter() - started
        problem = consistent(out, visible(out)) or (f"{len(errors)} run(s) failed: {errors[0].strip()}" if errors else None)
        print(f"  round {round_ + 1}: 8 runs in {seconds:.1f} s, set of issue {issue_of(out)}: {problem or 'consistent'}")
        good += problem is None
    print(f"concurrent: {good}/{rounds} rounds of eight runs ended with a consistent set")
    return good == rounds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--kills", type=int, default=50)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--formats", default="pdf,docx,json")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    print_machine()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        shutil.copytree(SEEDS, work / "seeds")
        ok = kill_loop(work, args.kills, args.formats, random.Random(args.seed))
        ok = concurrent(work, args.rounds, args.formats) and ok
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
