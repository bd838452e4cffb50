#!/usr/bin/env bash
# The release archives and their installer, end to end on this machine: dist/package.sh packs
# a womlint binary as the release workflow does (a .tar.gz, and a .zip as for Windows), into a
# folder laid out like a GitHub release, and dist/install.sh installs from it through
# WOMLINT_RELEASE_URL=file://… . The installed binary must run; an archive that does not
# match its checksum, and a version with no release, must install nothing.
set -euo pipefail

repo_root="$(cd "$(dirname "$0")/../.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cd "$repo_root"

binary="${WOMLINT_BINARY:-}"
if [ -z "$binary" ]; then
  cargo build --locked --quiet
  binary="${CARGO_TARGET_DIR:-$repo_root/target}/debug/womlint"
fi
version="$(sed -n 's/^version = "\(.*\)"$/\1/p' Cargo.toml | head -n 1)"
release="$work/releases/v$version"
export WOMLINT_RELEASE_URL="file://$work/releases"

fail() {
  echo "FAIL: $1" >&2
  exit 1
}

for target in x86_64-unknown-linux-gnu x86_64-pc-windows-msvc; do
  echo "-- $target"
  bash dist/package.sh "$version" "$target" "$binary" "$release" > /dev/null
  case "$target" in *windows*) archive="womlint-$version-$target.zip" exe=womlint.exe ;; *) archive="womlint-$version-$target.tar.gz" exe=womlint ;; esac
  [ -f "$release/$archive" ] && [ -f "$release/$archive.sha256" ] || fail "package.sh did not write $archive and its checksum"
  (cd "$release" && sha256sum --check --quiet "$archive.sha256") || fail "the checksum of $archive"
  WOMLINT_TARGET="$target" bash dist/install.sh "$version" "$work/bin-$target"
  installed_version="$("$work/bin-$target/$exe" --version)"
  [[ "$installed_version" == "womlint $version"* ]] || fail "the installed $exe does not run"
done
# The archive holds the licences and the README beside the binary. The listing is read whole
# before it is searched: `tar | grep -q` fails under pipefail when grep stops reading early.
listing="$(tar -tzf "$release/womlint-$version-x86_64-unknown-linux-gnu.tar.gz")"
for file in womlint LICENSE-APACHE LICENSE-MIT README.md; do
  grep -qx "womlint-$version-x86_64-unknown-linux-gnu/$file" <<< "$listing" || fail "no $file in the archive"
done

echo "-- an archive that does not match its checksum is not installed"
target=x86_64-unknown-linux-gnu
printf 'x' >> "$release/womlint-$version-$target.tar.gz"
status=0
WOMLINT_TARGET="$target" bash dist/install.sh "$version" "$work/tampered" 2> "$work/err.txt" || status=$?
[ "$status" -eq 5 ] || fail "install.sh exited with $status on a bad checksum, not 5"
grep -q "does not match its checksum" "$work/err.txt" || fail "no checksum message"
[ ! -e "$work/tampered/womlint" ] || fail "a binary was installed from a bad archive"

echo "-- a version with no release"
status=0
WOMLINT_TARGET="$target" bash dist/install.sh 0.0.0-none "$work/none" 2> /dev/null || status=$?
[ "$status" -eq 4 ] || fail "install.sh exited with $status for a missing release, not 4"
echo "release: ok"
