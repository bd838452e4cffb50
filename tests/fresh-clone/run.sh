#!/usr/bin/env bash
# A fresh clone with nothing beside it must pass the README's test command. Clones the
# committed HEAD into a temporary folder (so no ../shared is there) and runs `cargo test`.
# The build reuses this checkout's target folder for the dependencies.
set -euo pipefail

repo_root="$(cd "$(dirname "$0")/../.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

git clone --quiet --no-hardlinks "$repo_root" "$work/womlint"
if [ -e "$work/shared" ]; then
  echo "fresh-clone: $work/shared exists; the check needs a folder with nothing beside the clone" >&2
  exit 2
fi
cd "$work/womlint"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$repo_root/target}"
cargo test --locked
