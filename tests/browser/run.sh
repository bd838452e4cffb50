#!/usr/bin/env bash
# The HTML report in a real browser: renders a report of the bundled examples, a long one and
# one of drafts with hostile markup, opens them in headless Chromium (driven over the DevTools protocol by
# report_check.py) and fails on a console error, a filter that changes nothing, a layout wider
# than a phone, or markup from a draft that runs. Keeps a screenshot of the examples' report.
#
#   tests/browser/run.sh                         # screenshot in target/browser/
#   WOMLINT_SCREENSHOT=docs/report-screenshot.png tests/browser/run.sh   # refresh the README's
#
# Needs Chromium (Debian: apt-get install -y chromium; .ci/run installs it) and python3.
set -euo pipefail
cd "$(dirname "$0")/../.."

chromium="${CHROMIUM:-$(command -v chromium || command -v chromium-browser || true)}"
if [ -z "$chromium" ]; then
  echo "error: Chromium not found; install it (Debian: apt-get install -y chromium) or set CHROMIUM" >&2
  exit 2
fi

cargo build --locked --quiet
womlint="$PWD/target/debug/womlint"
out="$PWD/target/browser"
mkdir -p "$out"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

"$womlint" check examples --format html --output "$out/examples.html" --exit-zero

# More findings than the page shows at once.
mkdir -p "$work/long"
for i in $(seq 1 250); do
  printf '@glowco sent me this serum, day %s. I love it.\n' "$i" > "$work/long/day-$i.txt"
done
"$womlint" check "$work/long" --format html --output "$out/long.html" --exit-zero

# Drafts, a folder, a file name, a pack and a waiver reason that all carry markup.
cp -r tests/fixtures/report/hostile "$work/hostile"
folder="$work/hostile/<svg onload=alert(4)>"
mkdir -p "$folder"
cp tests/fixtures/report/hostile/post.md "$folder/x\"><img src=x onerror=alert(3)>.md"
(cd "$work/hostile" && "$womlint" check --pack pack.yaml . --format html --output "$out/hostile.html" --exit-zero)

python3 tests/browser/report_check.py --chromium "$chromium" check \
  "$out/examples.html" "$out/long.html" "$out/hostile.html" \
  --screenshot "${WOMLINT_SCREENSHOT:-$out/report-screenshot.png}"
