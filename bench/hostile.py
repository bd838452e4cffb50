#!/usr/bin/env python3
"""Times womlint on the shapes of input that short texts hide: a long line, many matches in
one block, a huge Markdown file, many findings in one file.

Standard library only. The targets (see the README, "Hostile input"):

    one-line     an 8 MB file that is one line of prose           under 1 s
    hashtags     140 KB of "#sp " (35,000 labels in one block)    under 1 s
    huge         a 100 MB Markdown file                           under 10 s, peak RSS < 3x its size
    findings     50,000 findings in one file, human format        under 2 s

Usage:

    bench/hostile.sh                 # every shape, 3 runs each, median
    bench/hostile.sh --shape huge --runs 1
    bench/hostile.sh --womlint target/release/womlint   # a build of your own

Inputs are generated under $WOMLINT_BENCH_DIR/hostile (default /tmp/womlint-bench/hostile).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
MB = 1000 * 1000

PROSE = (
    "My skin has honestly never looked this calm. @glowco sent me their new Barrier Repair serum "
    "three weeks ago and I have used it every single night since! Use my code GLOW20 for 20% off. "
    "Is it worth it? I think so, e.g. for dry skin. #skincare #barrierrepair "
)

# The posts of a campaign archive: most disclosed or clean, some not.
POSTS = [
    "## Post {n} — Instagram\n\n#ad My skin has honestly never looked this calm 🌿 thanks to "
    "@glowco's *Barrier Repair* serum, which they sent me three weeks ago.\n\n"
    "- morning: cleanser, serum, SPF\n- evening: cleanser, serum\n\n#skincare #barrierrepair\n\n",
    "## Post {n} — TikTok\n\nThree things I learnt this week about packing light for a long "
    "trip: roll, do not fold; one pair of shoes; a scarf is a blanket.\n\n> \"Best tip I have "
    "read this year\" — a reader\n\n",
    "## Post {n} — Newsletter\n\nAdvertisement | Paid partnership with @tramonto. We spent four "
    "nights on the coast and the [full itinerary is here](https://example.com/trip/{n}).\n\n"
    "```\nday 1: arrive\nday 2: boat\n```\n\n",
    "## Post {n} — Instagram\n\n@glowco sent me their new serum and I've used it every single "
    "night since. Use my code GLOW{n} for 20% off! [Shop here](https://amzn.to/x{n}?tag=me-21)\n\n"
    "#skincare #nightroutine\n\n",
]


def write_lines(path: Path, lines, size: int) -> None:
    """Writes `lines` (an endless iterator) to `path` until it holds `size` bytes or more,
    once: a run of the script keeps what an earlier one wrote."""
    if path.exists() and path.stat().st_size >= size:
        return
    written = 0
    with open(path, "w", encoding="utf-8") as out:
        for line in lines:
            out.write(line)
            written += len(line.encode())
            if written >= size:
                break


def generate(shape: str, folder: Path) -> tuple[Path, list[str]]:
    """The input of a shape (written as it is generated, so that this script stays small: a
    child's peak RSS counts the parent's at fork) and the arguments womlint gets for it."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{shape}.md"
    if shape == "one-line":
        prose = (PROSE * (8 * MB // len(PROSE) + 1))[: 8 * MB] + "\n"
        write_lines(path, iter([prose]), len(prose))
        return path, ["--format", "json"]
    if shape == "hashtags":
        write_lines(path, iter(["#sp " * (140 * 1000 // 4) + "\n"]), 140 * 1000)
        return path, ["--format", "json"]
    if shape == "huge":
        posts = (POSTS[n % len(POSTS)].format(n=n) for n in range(10**9))
        write_lines(path, posts, 100 * MB)
        return path, ["--format", "json", "--max-file-size", "200"]
    if shape == "findings":
        posts = [f"@glowco sent me serum number {n}.\n\n---\n\n" for n in range(50_000)]
        write_lines(path, iter(posts), sum(len(p) for p in posts))
        return path, ["--format", "human", "--color", "never"]
    raise SystemExit(f"error: unknown shape {shape}")


def run_measured(cmd: list[str]) -> tuple[float, int, int]:
    """Runs `cmd`: wall seconds, peak RSS in KiB, and bytes written to standard output."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    written = 0
    assert proc.stdout is not None
    while chunk := proc.stdout.read(1 << 20):
        written += len(chunk)
    _, status, rusage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    code = os.waitstatus_to_exitcode(status)
    if code not in (0, 1):
        raise SystemExit(f"error: {' '.join(cmd)} exited with {code}")
    return wall, rusage.ru_maxrss, written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--shape", action="append", choices=["one-line", "hashtags", "huge", "findings"])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--womlint", type=Path, help="the binary (default: build target/release/womlint)")
    args = parser.parse_args()
    shapes = args.shape or ["one-line", "hashtags", "huge", "findings"]
    womlint = args.womlint
    if womlint is None:
        subprocess.run(["cargo", "build", "--release", "--locked", "--quiet"], cwd=REPO, check=True)
        womlint = REPO / "target" / "release" / "womlint"
    folder = Path(os.environ.get("WOMLINT_BENCH_DIR", "/tmp/womlint-bench")) / "hostile"
    print("| shape | input | womlint (median) | peak RSS | RSS / input | output | load |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for shape in shapes:
        path, extra = generate(shape, folder)
        size = path.stat().st_size
        runs = [run_measured([str(womlint), "check", "--no-config", *extra, str(path)]) for _ in range(args.runs)]
        wall = statistics.median(r[0] for r in runs)
        rss = max(r[1] for r in runs) * 1024
        written = runs[-1][2]
        load = f"{os.getloadavg()[0]:.2f}"
        print(
            f"| {shape} | {size / MB:.1f} MB | {wall:.2f} s | {rss / MB:.0f} MB | {rss / size:.2f} "
            f"| {written / MB:.1f} MB | {load} |",
            flush=True,
        )


if __name__ == "__main__":
    sys.exit(main())
