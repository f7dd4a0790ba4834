#!/usr/bin/env bash
# Repository invariants that the compiler cannot check (DESIGN.md):
#   1. Determinism: no wall-clock read and no unseeded random source outside the places allowed
#      below. Time comes from an injected core::Clock, randomness from a seeded core::Rng.
#   2. Layering: includes point one way, core <- pricing <- {venues, risk, accounts} <- router
#      <- {fix, config} <- stack <- {daemon, backtest}, with resolver/ beside router/. A folder
#      includes only itself and folders of lower rank (stack/ is the one builder of the routing
#      stack; the daemon and the backtest both build on it and never on each other).
#   3. Confinement: only fix/ touches QuickFIX; only daemon/ and fix/ touch Asio.
# Usage: tools/check_invariants.sh [ROOT]   (ROOT defaults to the repository root)
# Prints every violation as file:line: rule: text, and exits 1 if there is any.
set -u

root="${1:-$(cd "$(dirname "$0")/.." && pwd)}"
cd "$root" || { echo "check_invariants: cannot enter $root" >&2; exit 2; }

# Layer ranks. A folder may include folders of strictly lower rank, and itself.
declare -A rank=(
  [core]=0
  [pricing]=1
  [venues]=2 [risk]=2 [accounts]=2
  [router]=3 [resolver]=3
  [fix]=4 [config]=4
  [stack]=5
  [daemon]=6 [backtest]=6
)

# Where each rule does not apply, with the reason.
#   core/clock.cc  the one Clock implementation that reads real time.
#   daemon/        runs the real-time scheduler, signals and the metrics exposer.
#   fix/           QuickFIX sessions run on wall-clock time (heartbeats, SendingTime).
#   bench/         measures elapsed time by definition.
clock_allowed='^(core/clock\.cc|daemon/|fix/|bench/)'
random_allowed='^(core/clock\.cc|daemon/)'
sleep_allowed='^(daemon/|fix/|bench/|tests/)'
quickfix_allowed='^(fix/|tests/|bench/)'
# venues/negotiation/ serves its text protocol on a TCP port (seed 000) through the daemon's
# io_context; it starts no thread of its own.
asio_allowed='^(daemon/|fix/|tests/|bench/|venues/negotiation/)'

clock_pattern='(system_clock|steady_clock|high_resolution_clock|absl::Now[[:space:]]*\(|GetCurrentTimeNanos|gettimeofday|clock_gettime|(^|[^_[:alnum:]])time[[:space:]]*\([[:space:]]*(nullptr|NULL|0)[[:space:]]*\)|localtime(_r)?[[:space:]]*\()'
random_pattern='(random_device|(^|[^_[:alnum:].>])s?rand[[:space:]]*\(|(^|[^_[:alnum:]])random[[:space:]]*\([[:space:]]*\)|drand48|absl::(Insecure)?BitGen|arc4random|getrandom[[:space:]]*\(|/dev/u?random|randombytes|crypto_sign_keypair[[:space:]]*\()'
sleep_pattern='(sleep_for|sleep_until|usleep[[:space:]]*\(|nanosleep|(^|[^_[:alnum:]])sleep[[:space:]]*\()'
quickfix_pattern='#[[:space:]]*include[[:space:]]*[<"]quickfix/'
asio_pattern='#[[:space:]]*include[[:space:]]*[<"](boost/)?asio'

violations=0
report() {
  echo "$1:$2: $3: $4"
  violations=$((violations + 1))
}

# Source files, without build trees and hidden folders.
mapfile -t files < <(find . -type d \( -name build -o -name 'build-*' -o -name '.?*' \) -prune -o \
  -type f \( -name '*.h' -o -name '*.hpp' -o -name '*.cc' -o -name '*.cpp' \) -print |
  sed 's|^\./||' | LC_ALL=C sort)

# Every file with its // comments removed, in a mirror tree, so that each rule is one grep over
# all the files it applies to (a sed and a grep per file and rule made thousands of processes).
stripped=$(mktemp -d)
trap 'rm -rf "$stripped"' EXIT
if (( ${#files[@]} > 0 )); then
  printf '%s\0' "${files[@]}" | xargs -0 cp --parents -t "$stripped"
  (cd "$stripped" && printf '%s\0' "${files[@]}" | xargs -0 sed -i -e 's://.*$::')
fi

# Matches of an extended regular expression in the stripped copies of the given files, as
# "file:N:text".
code_lines() {
  local pattern=$1
  shift
  (( $# > 0 )) || return 0
  (cd "$stripped" && printf '%s\0' "$@" | xargs -0 grep -H -n -E -- "$pattern")
}

# check RULE ALLOWED PATTERN: every line matching PATTERN in a file outside ALLOWED is a
# violation of RULE.
check() {
  local rule=$1 allowed=$2 pattern=$3 f hit rest
  local -a subject=()
  for f in "${files[@]}"; do [[ $f =~ $allowed ]] || subject+=("$f"); done
  while IFS= read -r hit; do
    f=${hit%%:*}
    rest=${hit#*:}
    report "$f" "${rest%%:*}" "$rule" "${rest#*:}"
  done < <(code_lines "$pattern" "${subject[@]}")
}

check "wall-clock read (use an injected core::Clock)" "$clock_allowed" "$clock_pattern"
check "unseeded random source (use a seeded core::Rng)" "$random_allowed" "$random_pattern"
check "sleep (schedule a timer on the core::Scheduler)" "$sleep_allowed" "$sleep_pattern"
check "QuickFIX outside fix/" "$quickfix_allowed" "$quickfix_pattern"
check "Asio outside daemon/ and fix/" "$asio_allowed" "$asio_pattern"

# Layering: an include of a ranked folder from a ranked folder points to a lower rank (or to
# the including folder itself).
ranked=()
for f in "${files[@]}"; do [[ -n "${rank[${f%%/*}]+set}" ]] && ranked+=("$f"); done
include_pattern='#[[:space:]]*include[[:space:]]*"([^"/]+)/'
while IFS= read -r hit; do
  f=${hit%%:*}
  rest=${hit#*:}
  text=${rest#*:}
  [[ $text =~ $include_pattern ]] || continue
  folder=${f%%/*}
  target=${BASH_REMATCH[1]}
  [[ -n "${rank[$target]+set}" ]] || continue
  if [[ "$target" != "$folder" ]] && (( rank[$target] >= rank[$folder] )); then
    report "$f" "${rest%%:*}" "layering: $folder/ may not include $target/" "$text"
  fi
done < <(code_lines "$include_pattern" "${ranked[@]}")

if (( violations > 0 )); then
  echo "check_invariants: $violations violation(s)"
  exit 1
fi
echo "check_invariants: ${#files[@]} files clean"
