#!/usr/bin/env bash
# Runs the hooks of .pre-commit-hooks.yaml through the real pre-commit framework on a small
# sample repository made in a temporary folder:
# - `womlint` (built from source) with `pre-commit try-repo`: it must fail on a file with a
#   finding, leave out a file the configuration excludes (the hook passes --force-exclude),
#   and pass on a clean file;
# - the README's .pre-commit-config.yaml as written, with the repository URL pointed at a
#   local copy: `pre-commit autoupdate` must pin a commit (there is no release tag in the
#   copy), then `pre-commit run --all-files` must report the finding;
# - `womlint-binary`, with a release made by dist/package.sh from the binary the first hook
#   built, served through WOMLINT_RELEASE_URL=file://…: the same results with no build.
#
# pre-commit builds the hook with `cargo install --path` (language: rust). To keep that
# modest, the build skips optimisation and LTO (the hook's behaviour is what is tested, not
# its speed) and reuses WOMLINT_PRECOMMIT_TARGET_DIR when it is set.
set -euo pipefail

repo_root="$(cd "$(dirname "$0")/../.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

if ! command -v pre-commit >/dev/null 2>&1; then
  echo "-- installing pre-commit"
  if python3 -m venv "$work/venv" >/dev/null 2>&1; then
    "$work/venv/bin/pip" install --quiet pre-commit
    PATH="$work/venv/bin:$PATH"
  else
    pip install --quiet --user pre-commit
    PATH="$(python3 -m site --user-base)/bin:$PATH"
  fi
fi
pre-commit --version

export PRE_COMMIT_HOME="$work/pre-commit-home"
export CARGO_TARGET_DIR="${WOMLINT_PRECOMMIT_TARGET_DIR:-$work/target}"
export CARGO_PROFILE_RELEASE_OPT_LEVEL=0
export CARGO_PROFILE_RELEASE_LTO=false
export CARGO_PROFILE_RELEASE_CODEGEN_UNITS=16
export CARGO_PROFILE_RELEASE_DEBUG=false
export CARGO_TERM_COLOR=never
export NO_COLOR=1
git_commit() {
  git -c user.name=womlint -c user.email=womlint@example.invalid -c commit.gpgsign=false commit -q "$@"
}

# try-repo needs the hook repository to be a git repository with the hook files committed:
# a copy of this working tree (committed or not), committed as it is.
hook_repo="$work/hook-repo"
mkdir "$hook_repo"
(cd "$repo_root" && git ls-files -z --cached --others --exclude-standard \
  | tar --null --ignore-failed-read -T - -cf - 2>/dev/null) | tar -xf - -C "$hook_repo"
(cd "$hook_repo" && git init -q && git add -A && git_commit -m "womlint hook")

sample="$work/sample"
mkdir -p "$sample/packs" "$sample/drafts"
cp "$repo_root/tests/fixtures/packs/mini.yaml" "$sample/packs/mini.yaml"
printf 'extra_packs: [packs/mini.yaml]\nexclude: [drafts]\n' > "$sample/womlint.yaml"
printf '#ad Glowco sent me this serum.\n' > "$sample/clean.md"
printf 'Glowco sent me this serum.\n' > "$sample/gifted.md"
printf 'Glowco sent me this serum.\n' > "$sample/drafts/wip.md"
printf 'Glowco sent me this serum, says the code.\n' > "$sample/notes.rs"
(cd "$sample" && git init -q && git add -A && git_commit -m "sample")

echo "-- pre-commit try-repo: every file (the hook must fail on gifted.md only)"
set +e
(cd "$sample" && pre-commit try-repo "$hook_repo" womlint --all-files --verbose) > "$work/all.log" 2>&1
status=$?
set -e
cat "$work/all.log"
fail() {
  echo "FAIL: $1" >&2
  exit 1
}
[ "$status" -eq 1 ] || fail "the hook should fail on gifted.md (pre-commit exited with $status)"
grep -q "relationship/undisclosed" "$work/all.log" || fail "no finding reported"
grep -q "gifted.md" "$work/all.log" || fail "gifted.md not reported"
if grep -q "drafts/wip.md" "$work/all.log"; then fail "drafts/wip.md is excluded by the configuration"; fi
if grep -q "notes.rs" "$work/all.log"; then fail "notes.rs is not a Markdown or text file"; fi

echo "-- pre-commit try-repo: a clean file (the hook must pass)"
(cd "$sample" && pre-commit try-repo "$hook_repo" womlint --files clean.md drafts/wip.md) \
  || fail "the hook should pass on clean.md and leave out drafts/wip.md"

echo "-- the README's .pre-commit-config.yaml, then pre-commit autoupdate and run"
# The README's block under "# .pre-commit-config.yaml", with the repository URL replaced.
awk '/^# \.pre-commit-config\.yaml$/ { on = 1; next } on && /^```/ { exit } on { print }' "$repo_root/README.md" \
  | sed "s|https://github.com/womlint/womlint|$hook_repo|" > "$sample/.pre-commit-config.yaml"
grep -q "id: womlint" "$sample/.pre-commit-config.yaml" || fail "no pre-commit configuration found in README.md"
(cd "$sample" && git add .pre-commit-config.yaml && git_commit -m "pre-commit")
(cd "$sample" && pre-commit autoupdate) || fail "pre-commit autoupdate"
pinned="$(sed -n 's/^ *rev: *\([^ ]*\).*/\1/p' "$sample/.pre-commit-config.yaml")"
[ "$pinned" = "$(cd "$hook_repo" && git rev-parse HEAD)" ] || fail "autoupdate pinned '$pinned', not the hook repository's commit"
set +e
(cd "$sample" && pre-commit run --all-files) > "$work/readme.log" 2>&1
status=$?
set -e
cat "$work/readme.log"
[ "$status" -eq 1 ] || fail "the README's configuration should fail on gifted.md (pre-commit exited with $status)"
grep -q "gifted.md" "$work/readme.log" || fail "gifted.md not reported with the README's configuration"

echo "-- womlint-binary: the release binary, downloaded and checked, no build"
built="$(find "$PRE_COMMIT_HOME" -path '*/bin/womlint' -type f -print -quit)"
[ -n "$built" ] || fail "the womlint hook's binary was not found under $PRE_COMMIT_HOME"
version="$(sed -n 's/^version = "\(.*\)"$/\1/p' "$hook_repo/Cargo.toml" | head -n 1)"
bash "$repo_root/dist/package.sh" "$version" x86_64-unknown-linux-gnu "$built" "$work/releases/v$version" > /dev/null
export WOMLINT_RELEASE_URL="file://$work/releases" WOMLINT_TARGET=x86_64-unknown-linux-gnu
set +e
(cd "$sample" && pre-commit try-repo "$hook_repo" womlint-binary --all-files --verbose) > "$work/binary.log" 2>&1
status=$?
set -e
cat "$work/binary.log"
[ "$status" -eq 1 ] || fail "the binary hook should fail on gifted.md (pre-commit exited with $status)"
grep -q "gifted.md" "$work/binary.log" || fail "gifted.md not reported by the binary hook"
if grep -q "drafts/wip.md" "$work/binary.log"; then fail "drafts/wip.md is excluded by the configuration"; fi
grep -q "installed in" "$work/binary.log" || fail "the binary hook did not install the release binary"
(cd "$sample" && pre-commit try-repo "$hook_repo" womlint-binary --files clean.md) \
  || fail "the binary hook should pass on clean.md"
echo "pre-commit hooks: ok"
