#!/bin/sh
# Benchmark: womlint against ripgrep on the standard corpora (see bench/run.py --help).
# Needs python3 and ripgrep (apt-get install ripgrep); hyperfine is used when present.
set -eu
exec python3 "$(dirname "$0")/run.py" "$@"
