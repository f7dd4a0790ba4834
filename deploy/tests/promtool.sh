#!/usr/bin/env bash
# Runs promtool (Debian's prometheus package), or fails saying how to get it.
# Usage: deploy/tests/promtool.sh <promtool arguments>
set -euo pipefail
if ! command -v promtool >/dev/null; then
  echo "promtool is not installed: scripts/install_deps.sh installs it (Debian package" \
       "prometheus)" >&2
  exit 1
fi
exec promtool "$@"
