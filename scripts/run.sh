#!/usr/bin/env bash
# The README's first command: installs what is missing, builds, and runs combo-routerd on the
# demo configuration (config/examples/demo.yaml: six embedded venues with the market simulator
# on, FIX on 127.0.0.1:9878, metrics on http://127.0.0.1:9464/metrics). Extra arguments go to
# combo-routerd, e.g. --config my.yaml or --check-config. Ctrl-C drains and exits.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install_deps.sh
scripts/build.sh default
exec build/default/daemon/combo-routerd "$@"
