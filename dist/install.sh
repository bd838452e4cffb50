#!/usr/bin/env bash
# Installs the womlint release binary for this machine:
#   dist/install.sh VERSION DIR
# downloads womlint-VERSION-TARGET.tar.gz (.zip on Windows) from the release vVERSION, checks
# it against its published SHA-256 checksum and puts the binary in DIR. Nothing is
# installed when the checksum does not match.
#
# WOMLINT_RELEASE_URL replaces https://github.com/womlint/womlint/releases/download (a
# mirror, or a folder as file:///…); WOMLINT_TARGET replaces the target found from uname.
# Exit codes: 0 installed, 2 usage, 3 no binary for this machine, 4 download failed,
# 5 checksum mismatch. The GitHub Action and the womlint-binary pre-commit hook build from
# source on 3 and 4.
set -euo pipefail

if [ "$#" -ne 2 ]; then
  echo "usage: dist/install.sh VERSION DIR" >&2
  exit 2
fi
version="${1#v}"
dest="$2"
base="${WOMLINT_RELEASE_URL:-https://github.com/womlint/womlint/releases/download}"

target="${WOMLINT_TARGET:-}"
if [ -z "$target" ]; then
  case "$(uname -s)-$(uname -m)" in
    Linux-x86_64) target=x86_64-unknown-linux-gnu ;;
    Linux-aarch64 | Linux-arm64) target=aarch64-unknown-linux-gnu ;;
    Darwin-x86_64) target=x86_64-apple-darwin ;;
    Darwin-arm64) target=aarch64-apple-darwin ;;
    MINGW*-x86_64 | MSYS*-x86_64 | CYGWIN*-x86_64) target=x86_64-pc-windows-msvc ;;
    *)
      echo "womlint: no release binary for $(uname -s) $(uname -m); install it with cargo install --locked womlint" >&2
      exit 3
      ;;
  esac
fi
case "$target" in
  *windows*) archive_ext=zip exe=womlint.exe ;;
  *) archive_ext=tar.gz exe=womlint ;;
esac
name="womlint-$version-$target"
archive="$name.$archive_ext"
url="$base/v$version/$archive"

sha256() {
  if command -v sha256sum >/dev/null 2>&1; then sha256sum "$1" | cut -d' ' -f1; else shasum -a 256 "$1" | cut -d' ' -f1; fi
}

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
for file in "$archive" "$archive.sha256"; do
  if ! curl -fsSL --retry 3 -o "$work/$file" "$base/v$version/$file"; then
    echo "womlint: cannot download $base/v$version/$file" >&2
    exit 4
  fi
done
expected="$(cut -d' ' -f1 < "$work/$archive.sha256")"
actual="$(sha256 "$work/$archive")"
if [ "$expected" != "$actual" ]; then
  echo "womlint: $url does not match its checksum (expected $expected, got $actual); nothing was installed" >&2
  exit 5
fi
case "$archive_ext" in
  zip) (cd "$work" && unzip -q "$archive") ;;
  *) tar -C "$work" -xzf "$work/$archive" ;;
esac
mkdir -p "$dest"
# Into place in one rename, so a run that starts meanwhile never sees half a binary.
cp "$work/$name/$exe" "$dest/.$exe.$$"
chmod +x "$dest/.$exe.$$"
mv -f "$dest/.$exe.$$" "$dest/$exe"
echo "womlint $version ($target) installed in $dest" >&2
