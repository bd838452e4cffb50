#!/usr/bin/env bash
# The README's two ways to install from source, run as written: `cargo install --locked
# --path .` in a checkout, and `cargo install --locked --git URL` with the URL of a clone of
# this repository. Each installed binary must run and check the bundled examples (exit 1:
# they hold findings). Both builds share WOMLINT_INSTALL_TARGET_DIR (default: a temporary
# folder), so the second one is quick.
set -euo pipefail

repo_root="$(cd "$(dirname "$0")/../.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
export CARGO_TARGET_DIR="${WOMLINT_INSTALL_TARGET_DIR:-$work/target}"
export CARGO_TERM_COLOR=never NO_COLOR=1

fail() {
  echo "FAIL: $1" >&2
  exit 1
}
check_installed() {
  local bin="$1/bin/womlint"
  [ -x "$bin" ] || fail "$bin was not installed"
  [[ "$("$bin" --version)" == "womlint "* ]] || fail "$bin --version"
  local status=0
  (cd "$repo_root" && "$bin" check examples/ > "$work/report.txt") || status=$?
  [ "$status" -eq 1 ] || fail "$bin check examples/ exited with $status, not 1"
  grep -q "relationship/undisclosed-connection" "$work/report.txt" || fail "no finding from $bin"
}

# A clone of the committed HEAD, as a user gets it.
git clone --quiet --no-hardlinks "$repo_root" "$work/womlint"

echo "-- cargo install --locked --path ."
(cd "$work/womlint" && cargo install --locked --path . --root "$work/from-path")
check_installed "$work/from-path"

echo "-- cargo install --locked --git file://…"
cargo install --locked --git "file://$work/womlint" --root "$work/from-git" womlint
check_installed "$work/from-git"
echo "install: ok"
