#!/usr/bin/env bash
# A real editor as the client: Neovim's built-in LSP client runs `womlint server` (the debug
# build), opens a draft with accents and emoji before the finding, and prints the diagnostics
# it received; the check fails unless they are the expected ones (tests/editor/expected.txt),
# which also proves the UTF-16 positions: Neovim turns them into byte columns itself.
set -euo pipefail
cd "$(dirname "$0")/../.."
if ! command -v nvim >/dev/null; then
  echo "tests/editor/run.sh: nvim is not installed (apt-get install neovim)" >&2
  exit 1
fi
nvim --version | head -n 1
cargo build --locked --quiet
bin="$PWD/target/debug/womlint"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cp tests/editor/draft.md tests/editor/check.lua "$work/"
got="$work/got.txt"
(cd "$work" && WOMLINT_BIN="$bin" XDG_STATE_HOME="$work/state" XDG_DATA_HOME="$work/data" \
  timeout 120 nvim --headless --clean -n -c "luafile check.lua" draft.md >"$got")
cat "$got"
if ! diff -u tests/editor/expected.txt "$got"; then
  echo "tests/editor/run.sh: Neovim received other diagnostics than expected" >&2
  exit 1
fi
echo "tests/editor/run.sh: Neovim received the expected diagnostics"
