#!/usr/bin/env bash
# Build step: run a script with Node.js, or stop with one line that says what to install.
#   build/node.sh WHO SCRIPT [ARGS...]     (WHO: the module that needs it, for the message)
set -euo pipefail
who="$1"; shift
install="install Node.js 20 or later (apt-get install nodejs, brew install node, or https://nodejs.org)"
command -v node >/dev/null || { echo "kopeck build: $who needs Node.js (node) to convert its data at build time: $install" >&2; exit 1; }
major="$(node --version | sed -E 's/^v([0-9]+).*/\1/')"
[ "$major" -ge 20 ] 2>/dev/null || { echo "kopeck build: $who needs Node.js 20 or later, found $(node --version): $install" >&2; exit 1; }
exec node "$@"
