#!/usr/bin/env bash
# daemon_instructions.sh: instructions the daemon executes per order on its order path, counted
# by valgrind's callgrind (docs/BENCHMARKS.md "FIX: the daemon against a bare acceptor").
#
# Timings on a shared machine move by tens of percent from run to run; an instruction count
# does not. This runs combo-routerd on config/examples/demo.yaml under callgrind, collecting only
# inside the FIX socket's read handler (AsioSocketAcceptor::Connection::OnRead: everything from
# the socket read to the report's write, the order's whole path), drives it with fix_load, and
# prints the instructions per order.
#
#   bench/daemon_instructions.sh [--build DIR] [--orders N] [--rate R] [--pipelined]
#
#   --build DIR   build tree with daemon/combo-routerd and bench/fix_load (default build/default)
#   --orders N    orders to send (default 800)
#   --rate R      orders per second (default 200: one order per read)
#   --pipelined   send without waiting (reads carry several orders)
#
# valgrind 3.19 cannot read clang's DWARF 5: the daemon runs from a copy without debug info
# (function names come from the symbol table).
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
build="$root/build/default"
orders=800
rate=200
pipelined=""
while [ $# -gt 0 ]; do
  case "$1" in
    --build) build="$2"; shift 2 ;;
    --orders) orders="$2"; shift 2 ;;
    --rate) rate="$2"; shift 2 ;;
    --pipelined) pipelined="--pipelined"; shift ;;
    *) echo "usage: $0 [--build DIR] [--orders N] [--rate R] [--pipelined]" >&2; exit 2 ;;
  esac
done
command -v valgrind >/dev/null || { echo "daemon_instructions: valgrind is not installed" >&2; exit 2; }
for bin in "$build/daemon/combo-routerd" "$build/bench/fix_load"; do
  [ -x "$bin" ] || { echo "daemon_instructions: $bin is not built" >&2; exit 2; }
done

work="$(mktemp -d "${TMPDIR:-/tmp}/daemon_instructions.XXXXXX")"
daemon_pid=""
cleanup() {
  if [ -n "$daemon_pid" ]; then kill -KILL "$daemon_pid" 2>/dev/null || true; wait "$daemon_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}
# The same configuration as daemon_vs_bare.sh: the demo with a private data directory, free
# ports and the load's sessions.
eval "$(sed -n '/^daemon_config() {/,/^}/p' "$root/bench/daemon_vs_bare.sh")"
port="$(free_port)"
daemon_config "$work/data" "$port" "$(free_port)" >"$work/config.yaml"
cp -r "$root/config/examples/instruments" "$work/"
strip --strip-debug -o "$work/combo-routerd" "$build/daemon/combo-routerd"

(cd "$root" && exec valgrind --tool=callgrind --callgrind-out-file="$work/callgrind.out" \
  --collect-atstart=no '--toggle-collect=combo::fix::AsioSocketAcceptor::Connection::OnRead*' \
  "$work/combo-routerd" --config "$work/config.yaml") >"$work/out.txt" 2>&1 &
daemon_pid=$!
for _ in $(seq 600); do
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then break; fi
  kill -0 "$daemon_pid" 2>/dev/null || { cat "$work/out.txt" >&2; exit 1; }
  sleep 0.5
done
duration=$(( (orders + rate - 1) / rate ))
# shellcheck disable=SC2086
"$build/bench/fix_load" --connect "127.0.0.1:$port" --sender LOAD1 --mode ack --sessions 1 \
  $pipelined --rate "$rate" --duration "$duration" \
  --legs "SPY 20281215 C 450 +1 / SPY 20281215 C 460 -1" | grep acknowledged
kill -TERM "$daemon_pid"
wait "$daemon_pid" || true
daemon_pid=""
total="$(callgrind_annotate "$work/callgrind.out" 2>/dev/null | awk '/PROGRAM TOTALS/ { gsub(/,/, "", $1); print $1 }')"
awk -v t="$total" -v n="$orders" 'BEGIN { printf "instructions on the order path: %d in all, %.0f per order\n", t, t / n }'
