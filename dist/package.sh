#!/usr/bin/env bash
# Packs a built womlint binary into a release archive with its SHA-256 checksum:
#   dist/package.sh VERSION TARGET BINARY OUTDIR
# writes OUTDIR/womlint-VERSION-TARGET.tar.gz (.zip for Windows targets) and, beside it,
# the same name with .sha256 ("<hash>  <file name>", as sha256sum prints it). The archive
# holds one folder, womlint-VERSION-TARGET/, with the binary, the README and the licences.
# The release workflow runs it for every target; dist/install.sh reads what it writes.
set -euo pipefail

if [ "$#" -ne 4 ]; then
  echo "usage: dist/package.sh VERSION TARGET BINARY OUTDIR" >&2
  exit 2
fi
version="${1#v}"
target="$2"
binary="$3"
outdir="$4"
repo_root="$(cd "$(dirname "$0")/.." && pwd)"
name="womlint-$version-$target"

sha256() {
  if command -v sha256sum >/dev/null 2>&1; then sha256sum "$1" | cut -d' ' -f1; else shasum -a 256 "$1" | cut -d' ' -f1; fi
}

stage="$(mktemp -d)"
trap 'rm -rf "$stage"' EXIT
mkdir -p "$stage/$name" "$outdir"
outdir="$(cd "$outdir" && pwd)"
case "$target" in
  *windows*) exe=womlint.exe ;;
  *) exe=womlint ;;
esac
cp "$binary" "$stage/$name/$exe"
chmod +x "$stage/$name/$exe"
cp "$repo_root/README.md" "$repo_root/LICENSE-MIT" "$repo_root/LICENSE-APACHE" "$stage/$name/"

case "$target" in
  *windows*)
    archive="$name.zip"
    if command -v 7z >/dev/null 2>&1; then
      (cd "$stage" && 7z a -tzip -bd -bso0 "$outdir/$archive" "$name")
    else
      (cd "$stage" && zip -qr "$outdir/$archive" "$name")
    fi
    ;;
  *)
    archive="$name.tar.gz"
    tar -C "$stage" -czf "$outdir/$archive" "$name"
    ;;
esac
echo "$(sha256 "$outdir/$archive")  $archive" > "$outdir/$archive.sha256"
echo "$outdir/$archive"
