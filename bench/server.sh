#!/bin/sh
# Benchmark: `womlint server` answering edits to a 5 KiB draft, and its memory over 10,000
# edits (see bench/server.py --help). Builds the release binary first; needs python3.
set -eu
cd "$(dirname "$0")/.."
cargo build --release --locked --quiet
exec python3 bench/server.py "$@"
