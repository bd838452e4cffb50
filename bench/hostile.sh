#!/bin/sh
# Benchmark: the hostile shapes of input (a long line, many matches in one block, a 100 MB
# file, many findings in one file); see bench/hostile.py --help. Needs python3.
set -eu
exec python3 "$(dirname "$0")/hostile.py" "$@"
