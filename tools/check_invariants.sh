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

# Lines of a file with // comments removed, numbered: "N:text".
code_lines() { sed -e 's://.*$::' "$1" | grep -n -E "$2"; }

for f in "${files[@]}"; do
  if ! [[ $f =~ $clock_allowed ]]; then
    while IFS= read -r hit; do
      report "$f" "${hit%%:*}" "wall-clock read (use an injected core::Clock)" "${hit#*:}"
    done < <(code_lines "$f" "$clock_pattern")
  fi
  if ! [[ $f =~ $random_allowed ]]; then
    while IFS= read -r hit; do
      report "$f" "${hit%%:*}" "unseeded random source (use a seeded core::Rng)" "${hit#*:}"
    done < <(code_lines "$f" "$random_pattern")
  fi
  if ! [[ $f =~ $sleep_allowed ]]; then
    while IFS= read -r hit; do
      report "$f" "${hit%%:*}" "sleep (schedule a timer on the core::Scheduler)" "${hit#*:}"
    done < <(code_lines "$f" "$sleep_pattern")
  fi
  if ! [[ $f =~ $quickfix_allowed ]]; then
    while IFS= read -r hit; do
      report "$f" "${hit%%:*}" "QuickFIX outside fix/" "${hit#*:}"
    done < <(code_lines "$f" "$quickfix_pattern")
  fi
  if ! [[ $f =~ $asio_allowed ]]; then
    while IFS= read -r hit; do
      report "$f" "${hit%%:*}" "Asio outside daemon/ and fix/" "${hit#*:}"
    done < <(code_lines "$f" "$asio_pattern")
  fi

  folder="${f%%/*}"
  [[ -n "${rank[$folder]+set}" ]] || continue
  while IFS= read -r hit; do
    line="${hit%%:*}"
    target=$(sed -E 's/.*#[[:space:]]*include[[:space:]]*"([^"/]+)\/.*/\1/' <<<"${hit#*:}")
    [[ -n "${rank[$target]+set}" ]] || continue
    if [[ "$target" != "$folder" ]] && (( rank[$target] >= rank[$folder] )); then
      report "$f" "$line" "layering: $folder/ may not include $target/" "${hit#*:}"
    fi
  done < <(code_lines "$f" '#[[:space:]]*include[[:space:]]*"[^"/]+/')
done

if (( violations > 0 )); then
  echo "check_invariants: $violations violation(s)"
  exit 1
fi
echo "check_invariants: ${#files[@]} files clean"
