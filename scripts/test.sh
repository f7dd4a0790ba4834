#!/usr/bin/env bash
# The README's second command: installs what is missing, builds, and runs the whole test suite
# (unit, scenario, end-to-end, the repository checks, and each benchmark once in a short form).
# Long soak runs carry the label "soak": the test presets leave them out; COMBO_SOAK=1 runs them
# too, after the suite.
# Usage: scripts/test.sh [PRESET]   (default, debug = ASan+UBSan, release)
set -euo pipefail
cd "$(dirname "$0")/.."
preset="${1:-default}"
scripts/install_deps.sh
scripts/build.sh "$preset"
ctest --preset "$preset" -j "$(nproc)"
if [[ "${COMBO_SOAK:-0}" == "1" ]]; then
  ctest --test-dir "build/$preset" -L soak --output-on-failure
fi
