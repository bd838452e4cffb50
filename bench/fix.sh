#!/usr/bin/env bash
# Fixing and baselines over a generated archive: what a check, --diff, --diff --unsafe-fixes
# and --fix --unsafe-fixes cost, how many findings have a fix and how many are applied, and
# whether a baseline still holds after a line is inserted at the top of every file. Prints
# figures; asserts nothing.
#
#   bench/fix.sh                       # 3,000 drafts, 20 MiB (the `small` corpus)
#   bench/fix.sh --files 30000 --size-mb 200
#
# Needs python3, hyperfine, GNU time and ../shared/bench/gen_corpus.py. WOMLINT names the
# binary (default: target/release/womlint, built here with `cargo build --release`).
set -euo pipefail
cd "$(dirname "$0")/.."

. bench/corpus.sh
corpus fix 3000 20 "$@"
command -v hyperfine >/dev/null || { echo "error: hyperfine not found (apt-get install -y hyperfine)" >&2; exit 2; }
if [ -z "${WOMLINT:-}" ]; then
  cargo build --release --locked
  WOMLINT="$PWD/target/release/womlint"
fi

cd "$dir"
echo "load: $(cut -d' ' -f1-3 /proc/loadavg)"

# womlint exits 1 when there are findings: that is no failure here.
wl() { "$WOMLINT" "$@" || [ $? -eq 1 ]; }
timed() { local format="$1"; shift; /usr/bin/time -f "$format" "$WOMLINT" "$@" || [ $? -eq 1 ]; }

counts() {
  python3 -c '
import json, sys
d = json.load(sys.stdin)["diagnostics"]
fixes = [x["fix"]["applicability"] for x in d if "fix" in x]
safe = fixes.count("safe")
print(f"{len(d)} findings, {len(fixes)} with a fix ({safe} safe)")'
}

echo "== the archive"
wl check --format json corpus | counts
hyperfine --warmup 1 --runs 5 -i \
  "$WOMLINT check --format json corpus" \
  "$WOMLINT check --diff corpus" \
  "$WOMLINT check --diff --unsafe-fixes corpus"
wl check --diff corpus 2>&1 >/dev/null | tail -1
wl check --diff --unsafe-fixes corpus 2>&1 >/dev/null | tail -1

echo "== --fix --unsafe-fixes on a copy (wall time, peak RSS)"
rm -rf copy && cp -r corpus copy
timed "fix: %e s, %M KiB" check --fix --unsafe-fixes --format json copy 2>&1 >/dev/null | tail -2
timed "check: %e s, %M KiB" check --format json corpus 2>&1 >/dev/null | tail -1
echo -n "left after fixing: "
wl check --format json copy | counts

echo "== a baseline, then a line inserted at the top of every file"
rm -rf copy && cp -r corpus copy
timed "write: %e s, %M KiB" check --write-baseline baseline.json copy 2>&1 | tail -2
echo "baseline.json: $(wc -c < baseline.json) bytes"
python3 - copy <<'EOF'
import os, sys
for root, _, names in os.walk(sys.argv[1]):
    for name in names:
        path = os.path.join(root, name)
        text = open(path, "rb").read()
        bom = b"\xef\xbb\xbf" if text.startswith(b"\xef\xbb\xbf") else b""
        text = text[len(bom):]
        nl = b"\r\n" if b"\r\n" in text[:2000] else b"\n"
        line = b"Updated in 2025." + nl + nl
        fence = b"---" + nl
        end = text.find(nl + fence, 3) if text.startswith(fence) else -1
        if end > 0:
            cut = end + len(nl) + len(fence)
            text = text[:cut] + line + text[cut:]
        else:
            text = line + text
        open(path, "wb").write(bom + text)
EOF
echo -n "new findings after the edit: "
wl check --baseline baseline.json --format json copy 2>/dev/null | counts
timed "with the baseline: %e s, %M KiB" check --baseline baseline.json copy 2>&1 >/dev/null | tail -2
