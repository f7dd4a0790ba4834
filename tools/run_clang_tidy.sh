#!/usr/bin/env bash
# Runs clang-tidy (.clang-tidy: Google naming, bugprone, performance) over the given files, or
# over every .cc file of the project, against build/default's compile database. Slow (seconds a
# file), so it is a developer check, not part of CTest. Exits 1 on any finding.
# Usage: tools/run_clang_tidy.sh [FILE...]
set -u
cd "$(dirname "$0")/.."
[[ -f build/default/compile_commands.json ]] || { echo "build first: scripts/build.sh"; exit 2; }
if (($# == 0)); then
  mapfile -t files < <(git ls-files '*.cc' | grep -vE '^(tests|bench)/')
else
  files=("$@")
fi
out=$(clang-tidy -p build/default --quiet "${files[@]}" 2>/dev/null | grep -E "(warning|error):")
if [[ -n "$out" ]]; then
  echo "$out"
  exit 1
fi
echo "run_clang_tidy: ${#files[@]} files clean"
