#!/usr/bin/env bash
# Shows that tools/check_invariants.sh passes a clean tree and fails on each kind of planted
# violation. Exits non-zero on the first expectation that does not hold.
set -u
script="$(cd "$(dirname "$0")" && pwd)/check_invariants.sh"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failures=0

fresh_tree() {
  rm -rf "$work/tree"
  mkdir -p "$work/tree"/{core,pricing,venues,risk,router,fix,daemon,tests,bench}
  cat >"$work/tree/core/clock.cc" <<'CC'
#include <chrono>
auto Now() { return std::chrono::system_clock::now(); }
CC
  cat >"$work/tree/pricing/ok.cc" <<'CC'
#include "core/price.h"
#include "pricing/other.h"
// Comments may mention std::chrono::system_clock and std::random_device freely.
CC
  cat >"$work/tree/daemon/main.cc" <<'CC'
#include <boost/asio.hpp>
#include "router/router.h"
#include "fix/acceptor.h"
auto t = std::chrono::steady_clock::now();
CC
  cat >"$work/tree/fix/session.cc" <<'CC'
#include "quickfix/Session.h"
#include "router/router.h"
CC
  cat >"$work/tree/tests/e2e_test.cc" <<'CC'
#include "daemon/main.h"
#include "quickfix/Session.h"
CC
}

expect() {  # expect pass|fail "description"
  local want=$1 what=$2 got
  if "$script" "$work/tree" >"$work/out" 2>&1; then got=pass; else got=fail; fi
  if [[ $got != "$want" ]]; then
    echo "FAIL: $what: expected $want, got $got"
    sed 's/^/  | /' "$work/out"
    failures=$((failures + 1))
  else
    echo "ok: $what ($got)"
  fi
}

plant() {  # plant FILE CONTENT
  mkdir -p "$(dirname "$work/tree/$1")"
  printf '%s\n' "$2" >"$work/tree/$1"
}

fresh_tree; expect pass "clean tree"
fresh_tree; plant router/order.cc 'auto t = std::chrono::system_clock::now();'
expect fail "wall clock read in router/"
fresh_tree; plant venues/book.cc 'long n = absl::ToUnixNanos(absl::Now());'
expect fail "absl::Now in venues/"
fresh_tree; plant core/x.cc 'auto t = time(nullptr);'
expect fail "time(nullptr) in core/ outside clock.cc"
fresh_tree; plant pricing/x.cc 'std::random_device rd;'
expect fail "std::random_device in pricing/"
fresh_tree; plant venues/x.cc 'int r = rand();'
expect fail "rand() in venues/"
fresh_tree; plant tests/x_test.cc 'absl::BitGen gen;'
expect fail "unseeded absl::BitGen in tests/"
fresh_tree; plant router/x_test.cc 'std::this_thread::sleep_for(std::chrono::milliseconds(5));'
expect fail "sleep in a router test"
fresh_tree; plant pricing/x.cc '#include "venues/venue.h"'
expect fail "pricing/ including venues/ (upward)"
fresh_tree; plant venues/x.cc '#include "risk/limits.h"'
expect fail "venues/ including risk/ (sibling)"
fresh_tree; plant core/x.h '#include "pricing/implied.h"'
expect fail "core/ including pricing/"
fresh_tree; plant router/x.cc '#include <quickfix/Message.h>'
expect fail "QuickFIX in router/"
fresh_tree; plant accounts/x.cc '#include <boost/asio/io_context.hpp>'
expect fail "Asio in accounts/"
fresh_tree; plant router/x.cc '#include "venues/venue.h"
#include "pricing/implied.h"
#include "core/price.h"'
expect pass "router/ including lower layers"
fresh_tree; plant stack/x.cc '#include "daemon/daemon.h"'
expect fail "stack/ including daemon/ (upward)"
fresh_tree; plant config/x.cc '#include "stack/routing_stack.h"'
expect fail "config/ including stack/ (upward)"
fresh_tree; plant backtest/x.cc '#include "daemon/daemon.h"'
expect fail "backtest/ including daemon/ (sibling)"
fresh_tree; plant daemon/x.cc '#include "stack/routing_stack.h"
#include "config/daemon_config.h"'
expect pass "daemon/ including stack/ and config/"
fresh_tree; plant backtest/x.cc '#include "stack/routing_stack.h"
#include "venues/market_sim/sample_market.h"'
expect pass "backtest/ including stack/ and venues/"
fresh_tree; plant router/x.cc 'int my_rand(); int v = my_rand(); int strand(int); long runtime(long);'
expect pass "names that merely contain rand/time"

if (( failures > 0 )); then
  echo "$failures expectation(s) failed"
  exit 1
fi
echo "all expectations hold"
