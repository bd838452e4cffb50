#!/usr/bin/env bash
# The womlint-binary pre-commit hook: runs the release binary of the hook's version instead
# of building womlint. The binary is downloaded once, its checksum checked (dist/install.sh),
# into the hook's checkout, which pre-commit keeps per `rev`.
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
version="$(sed -n 's/^version = "\(.*\)"$/\1/p' "$root/Cargo.toml" | head -n 1)"
bin="$root/.womlint-release/$version"
exe=womlint
case "$(uname -s)" in
  MINGW* | MSYS* | CYGWIN*) exe=womlint.exe ;;
esac
if [ ! -x "$bin/$exe" ]; then
  status=0
  bash "$root/dist/install.sh" "$version" "$bin" || status=$?
  if [ "$status" -ne 0 ]; then
    if [ "$status" -eq 3 ] || [ "$status" -eq 4 ]; then
      echo "womlint-binary: no release binary of womlint $version for this machine; pin \`rev\` to a release tag, or use the \`womlint\` hook, which builds from source" >&2
    fi
    exit "$status"
  fi
fi
exec "$bin/$exe" "$@"
