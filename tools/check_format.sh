#!/usr/bin/env bash
# Fails when clang-format (.clang-format at the root) would change any C++ file in the tree.
# Usage: tools/check_format.sh [ROOT]; tools/check_format.sh --fix [ROOT] rewrites the files.
set -u
fix=0
if [[ "${1:-}" == "--fix" ]]; then fix=1; shift; fi
root="${1:-$(cd "$(dirname "$0")/.." && pwd)}"
cd "$root" || exit 2
command -v clang-format >/dev/null || { echo "check_format: clang-format not installed"; exit 2; }
mapfile -t files < <(find . -type d \( -name build -o -name 'build-*' -o -name '.?*' \) -prune -o \
  -type f \( -name '*.h' -o -name '*.cc' \) -print | LC_ALL=C sort)
if (( fix )); then
  clang-format -i "${files[@]}"
  exit 0
fi
bad=0
for f in "${files[@]}"; do
  if ! clang-format --dry-run -Werror "$f" >/dev/null 2>&1; then
    echo "needs formatting: ${f#./}"
    bad=$((bad + 1))
  fi
done
if (( bad > 0 )); then
  echo "check_format: $bad file(s) need formatting (tools/check_format.sh --fix)"
  exit 1
fi
echo "check_format: ${#files[@]} files clean"
