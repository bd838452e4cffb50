#!/usr/bin/env python3
"""Times womlint against ripgrep on the standard corpora, and checks determinism.

Standard library only. See the "Performance" section of the top-level README for what is
measured and why. Usage:

    bench/run.sh                      # small + large + one file + determinism, 5 runs each
    bench/run.sh --corpus small --runs 3
    bench/run.sh --pack tests/fixtures/packs/mini.yaml   # extra pack (passed to womlint)

Corpora are generated once with ../shared/bench/gen_corpus.py under $WOMLINT_BENCH_DIR
(default /tmp/womlint-bench) and reused.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SHARED_BENCH = (REPO / ".." / "shared" / "bench").resolve()
MIB = 1024 * 1024

CORPORA = {
    "small": ["--seed", "42"],
    "large": ["--seed", "42", "--files", "30000", "--size-mb", "200"],
}
ONE_FILE_BYTES = 5 * 1024
EXTENSIONS = (".md", ".markdown", ".txt", ".text")


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def load() -> str:
    """The 1-minute load average, to print beside each figure."""
    try:
        return f"{os.getloadavg()[0]:.2f}"
    except OSError:
        return "?"


def run_measured(cmd: list[str], ok_codes: tuple[int, ...], stdout=subprocess.DEVNULL) -> tuple[float, int]:
    """Runs `cmd`; returns (wall seconds, peak RSS in KiB) of that child alone."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=stdout, stderr=subprocess.DEVNULL)
    _, status, rusage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode not in ok_codes:
        raise SystemExit(f"error: {' '.join(cmd)} exited with {proc.returncode}")
    return wall, rusage.ru_maxrss


def ensure_corpus(name: str, base: Path) -> Path:
    out = base / f"corpus-{name}"
    if (out / ".complete").exists():
        return out
    gen = SHARED_BENCH / "gen_corpus.py"
    if not gen.exists():
        raise SystemExit(f"error: {gen} not found (the shared bench folder must sit beside the repository)")
    partial = base / f"corpus-{name}.partial"
    if partial.exists():
        shutil.rmtree(partial)
    if out.exists():
        shutil.rmtree(out)
    log(f"generating corpus {name} in {out} ...")
    subprocess.run([sys.executable, str(gen), "--out", str(partial), *CORPORA[name]], check=True)
    partial.rename(out)
    # Hidden, so womlint and ripgrep both skip it.
    (out / ".complete").write_text("ok\n")
    return out


def corpus_stats(root: Path) -> tuple[int, int]:
    files = 0
    size = 0
    for dirpath, _, names in os.walk(root):
        for name in names:
            if name.lower().endswith(EXTENSIONS):
                files += 1
                size += (Path(dirpath) / name).stat().st_size
    return files, size


def build(target_dir: Path) -> Path:
    # The profile of the release binaries (Cargo.toml's `dist`), so the figures are theirs.
    log("building womlint (dist profile) ...")
    env = dict(os.environ, CARGO_TARGET_DIR=str(target_dir))
    subprocess.run(["cargo", "build", "--profile", "dist", "--quiet"], cwd=REPO, env=env, check=True)
    return target_dir / "dist" / "womlint"


def find_rg() -> str:
    rg = shutil.which("rg")
    if rg is None:
        raise SystemExit("error: ripgrep (rg) is the speed floor and is not installed: apt-get install ripgrep")
    return rg


def side_by_side(womlint_cmd: list[str], rg_cmd: list[str], runs: int) -> dict:
    """One warm-up each, then `runs` alternating runs; medians of wall time and peak RSS."""
    run_measured(womlint_cmd, (0, 1))
    run_measured(rg_cmd, (0, 1))
    w_times, w_rss, r_times, r_rss, loads = [], [], [], [], []
    for _ in range(runs):
        loads.append(load())
        t, m = run_measured(womlint_cmd, (0, 1))
        w_times.append(t)
        w_rss.append(m)
        t, m = run_measured(rg_cmd, (0, 1))
        r_times.append(t)
        r_rss.append(m)
    return {
        "womlint_s": statistics.median(w_times),
        "womlint_all": w_times,
        "womlint_rss_kib": max(w_rss),
        "rg_s": statistics.median(r_times),
        "rg_all": r_times,
        "rg_rss_kib": max(r_rss),
        "loads": loads,
    }


def one_file_case(womlint: list[str], corpus: Path, runs: int) -> dict:
    """A 5 KiB Markdown file: start-up, pack compilation, reading, parsing and linting."""
    candidates = sorted(p for p in corpus.rglob("*.md") if p.is_file())
    best = min(candidates, key=lambda p: (abs(p.stat().st_size - ONE_FILE_BYTES), str(p)))
    tmp = Path(tempfile.mkdtemp(prefix="womlint-one-"))
    sample = tmp / "post.md"
    sample.write_bytes(best.read_bytes())
    cmd = [*womlint, str(sample)]
    result = {"file_bytes": sample.stat().st_size, "source": str(best.relative_to(corpus))}
    hyperfine = shutil.which("hyperfine")
    if hyperfine:
        export = tmp / "hyperfine.json"
        subprocess.run(
            [hyperfine, "-N", "--warmup", "10", "--runs", str(max(runs * 20, 50)), "-i",
             "--export-json", str(export), " ".join(cmd)],
            check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        data = json.loads(export.read_text())["results"][0]
        result.update(tool="hyperfine", median_ms=data["median"] * 1000, mean_ms=data["mean"] * 1000,
                      min_ms=data["min"] * 1000)
    else:
        times = []
        for i in range(max(runs * 20, 50) + 10):
            t, _ = run_measured(cmd, (0, 1))
            if i >= 10:
                times.append(t)
        result.update(tool="loop (install hyperfine for better figures: apt-get install hyperfine)",
                      median_ms=statistics.median(times) * 1000, mean_ms=statistics.mean(times) * 1000,
                      min_ms=min(times) * 1000)
    shutil.rmtree(tmp, ignore_errors=True)
    return result


def determinism(womlint: list[str], corpus: Path) -> dict:
    digests = {}
    for threads in ("1", "2", None):
        cmd = [*womlint[:2], *(["--threads", threads] if threads else []), *womlint[2:], str(corpus)]
        out = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, check=False)
        if out.returncode not in (0, 1):
            raise SystemExit(f"error: {' '.join(cmd)} exited with {out.returncode}")
        digests[threads or "default"] = hashlib.sha256(out.stdout).hexdigest()
    return {"digests": digests, "identical": len(set(digests.values())) == 1}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", default="small,large", help="comma-separated: small, large (default both)")
    parser.add_argument("--runs", type=int, default=5, help="timed runs per tool after one warm-up (default 5)")
    parser.add_argument("--pack", action="append", default=[], help="extra rule pack passed to womlint")
    parser.add_argument("--womlint", help="use this binary instead of building one")
    parser.add_argument("--dir", default=os.environ.get("WOMLINT_BENCH_DIR", "/tmp/womlint-bench"),
                        help="where the corpora live (default $WOMLINT_BENCH_DIR or /tmp/womlint-bench)")
    parser.add_argument("--no-one-file", action="store_true", help="skip the 5 KiB one-file case")
    parser.add_argument("--no-determinism", action="store_true", help="skip the --threads check")
    parser.add_argument("--json", help="also write the raw results to this file")
    args = parser.parse_args()

    base = Path(args.dir)
    base.mkdir(parents=True, exist_ok=True)
    rg = find_rg()
    patterns = SHARED_BENCH / "patterns-ascii-boundary.txt"
    if args.womlint:
        binary = Path(args.womlint)
    else:
        target = Path(os.environ.get("CARGO_TARGET_DIR", REPO / "target"))
        binary = build(target)
    extra = [arg for pack in args.pack for arg in ("--pack", str(Path(pack).resolve()))]
    womlint = [str(binary), "check", "--format", "json", *extra]

    results: dict = {"cpus": os.cpu_count(), "corpora": {}}
    names = [n.strip() for n in args.corpus.split(",") if n.strip()]
    for name in names:
        if name not in CORPORA:
            raise SystemExit(f"error: unknown corpus {name!r} (expected small or large)")
        corpus = ensure_corpus(name, base)
        files, size = corpus_stats(corpus)
        log(f"timing {name}: {files} files, {size / MIB:.1f} MiB, {args.runs} runs, load {load()} ...")
        r = side_by_side([*womlint, str(corpus)], [rg, "--count-matches", "-f", str(patterns), str(corpus)],
                         args.runs)
        r.update(files=files, bytes=size)
        results["corpora"][name] = r
    small = ensure_corpus("small", base) if not args.no_one_file or not args.no_determinism else None
    if not args.no_one_file and small is not None:
        log(f"timing the one-file case, load {load()} ...")
        results["one_file"] = one_file_case(womlint, small, args.runs)
    if not args.no_determinism and small is not None:
        log("checking determinism (--threads 1, 2, default) on small ...")
        results["determinism"] = determinism(womlint, small)

    print_table(results)
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=2) + "\n")
    if "determinism" in results and not results["determinism"]["identical"]:
        print("\nFAIL: the output differs between thread counts", file=sys.stderr)
        return 1
    return 0


def print_table(results: dict) -> None:
    print(f"\nwomlint vs ripgrep, {results['cpus']} CPUs, median of the timed runs (load = 1-min load average)\n")
    print("| corpus | files | MiB | womlint | MiB/s | files/s | peak RSS | rg | rg peak RSS | womlint/rg | load |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|")
    for name, r in results["corpora"].items():
        mib = r["bytes"] / MIB
        w = r["womlint_s"]
        print(
            f"| {name} | {r['files']} | {mib:.1f} | {w:.3f} s | {mib / w:.0f} | {r['files'] / w:.0f} "
            f"| {r['womlint_rss_kib'] / 1024:.1f} MiB | {r['rg_s']:.3f} s | {r['rg_rss_kib'] / 1024:.1f} MiB "
            f"| {w / r['rg_s']:.2f} | {'/'.join(r['loads'])} |"
        )
    one = results.get("one_file")
    if one:
        print(
            f"\none file ({one['file_bytes']} bytes, {one['tool']}): median {one['median_ms']:.1f} ms, "
            f"min {one['min_ms']:.1f} ms (target <= 15 ms)"
        )
    det = results.get("determinism")
    if det:
        verdict = "identical" if det["identical"] else "DIFFERENT"
        print(f"determinism: --threads 1 / 2 / default output {verdict} ({det['digests']['1'][:16]}...)")


if __name__ == "__main__":
    sys.exit(main())
