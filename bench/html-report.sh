#!/usr/bin/env bash
# The HTML report of a large archive, timed in headless Chromium: how long the page takes to
# load, to filter, to search and to show more, and the long tasks (50 ms or more) that would
# make it feel frozen. Prints figures; asserts nothing.
#
#   bench/html-report.sh                      # 20,000 drafts, 180 MiB: about 11,500 findings
#   bench/html-report.sh --files 5000 --size-mb 45
#
# Needs python3, Chromium (apt-get install -y chromium) and ../shared/bench/gen_corpus.py.
set -euo pipefail
cd "$(dirname "$0")/.."

chromium="${CHROMIUM:-$(command -v chromium || command -v chromium-browser || true)}"
[ -n "$chromium" ] || { echo "error: Chromium not found (apt-get install -y chromium)" >&2; exit 2; }
. bench/corpus.sh
corpus report 20000 180 "$@"
cargo build --release --locked --quiet
womlint="$PWD/target/release/womlint"

cd "$dir"
# The same run as JSON and as HTML, one after the other (the difference is the HTML's cost).
python3 - "$womlint" <<'EOF'
import json, os, subprocess, sys, time
womlint = sys.argv[1]
took = {}
for fmt in ("json", "html", "json", "html"):
    start = time.monotonic()
    subprocess.run([womlint, "check", "corpus", "--format", fmt, "--output", f"report.{fmt}", "--exit-zero"],
                   check=True)
    took.setdefault(fmt, []).append(time.monotonic() - start)
findings = len(json.load(open("report.json"))["diagnostics"])
print(f"{findings} findings; load average {os.getloadavg()[0]:.1f}; "
      f"--format json {min(took['json']):.2f} s, --format html {min(took['html']):.2f} s "
      f"({os.path.getsize('report.html') / 2**20:.1f} MiB), best of two")
EOF
cd - >/dev/null
python3 tests/browser/report_check.py --chromium "$chromium" bench "$dir/report.html"
