#!/usr/bin/env bash
# Build step: write the version and the commit it was built from, for `kopeck --version`.
#   build/version.sh VERSION OUT.properties
# Outside a git checkout (a source tarball) the commit is "unknown"; uncommitted changes are said.
set -euo pipefail
version="$1"; out="$2"
cd "$(dirname "$0")/.."
commit="$(git rev-parse --short=12 HEAD 2>/dev/null || echo unknown)"
if [ "$commit" != unknown ] && [ -n "$(git status --porcelain --untracked-files=no 2>/dev/null)" ]; then
  commit="$commit, with uncommitted changes"
fi
mkdir -p "$(dirname "$out")"
printf 'version=%s\ncommit=%s\n' "$version" "$commit" > "$out"
