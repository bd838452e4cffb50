#!/bin/sh
# Seeds each fuzz target's corpus (fuzz/corpus/TARGET, not committed) with the repository's
# fixtures: drafts for `document` and `check` (a first byte 0 keeps a draft as it is; for
# `check`, a 0 before it picks Markdown and the few-files rule set), packs and
# configurations for `settings`.
set -eu
cd "$(dirname "$0")/.."
mkdir -p fuzz/corpus/document fuzz/corpus/check fuzz/corpus/settings
n=0
for file in $(find examples tests/fixtures -type f \( -name '*.md' -o -name '*.txt' \) | sort); do
    n=$((n + 1))
    { printf '\000'; cat "$file"; } > "fuzz/corpus/document/seed-$n"
    { printf '\000\000'; cat "$file"; } > "fuzz/corpus/check/seed-$n"
done
for file in $(find rules tests/fixtures -type f -name '*.yaml' | sort); do
    n=$((n + 1))
    cp "$file" "fuzz/corpus/settings/seed-$n"
done
echo "fuzz/corpus: $n seeds"
