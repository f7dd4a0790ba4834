#!/usr/bin/env bash
# The README's first command: installs what is missing, builds, and runs combo-routerd on the
# embedded demo configuration. Extra arguments go to combo-routerd.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install_deps.sh
scripts/build.sh default
exec build/default/daemon/combo-routerd "$@"
