#!/usr/bin/env bash
# daemon_vs_bare.sh: the daemon's FIX round trip against a bare QuickFIX acceptor
# (docs/BENCHMARKS.md "FIX: the daemon against a bare acceptor").
#
# For each case, runs the same fix_load client (raw FIX sessions over TCP) against combo-routerd
# on config/examples/demo.yaml and against bench/bare_acceptor, alternately, RUNS times each,
# each run on a freshly started acceptor (fresh journal and FIX store), and prints the medians
# of the runs and the daemon/bare ratios.
#
#   bench/daemon_vs_bare.sh [--build DIR] [--runs N] [--duration S] [--cases LIST] [--smoke]
#
#   --build DIR    build tree with daemon/combo-routerd, bench/fix_load, bench/bare_acceptor
#                  (default build/release if it has them, else build/default)
#   --runs N       alternations per case (default 3)
#   --duration S   seconds per paced run (default 10)
#   --cases LIST   comma-separated among ack100, ack1000, cancel100, pipelined1, pipelined4
#                  (default all)
#   --smoke        one short run of ack100 and cancel100 (CTest bench-smoke); checks only that
#                  every order was answered
#
# The daemon's config is demo.yaml with its data directory in a temporary directory, free ports,
# four extra FIX sessions LOAD1..LOAD4 (the load's CompIDs) and a credit limit for each that holds
# every order of a run. Run from anywhere; the script finds the repository from its own path.
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
build=""
runs=3
duration=10
cases="ack100,ack1000,cancel100,pipelined1,pipelined4"
smoke=0
while [ $# -gt 0 ]; do
  case "$1" in
    --build) build="$2"; shift 2 ;;
    --runs) runs="$2"; shift 2 ;;
    --duration) duration="$2"; shift 2 ;;
    --cases) cases="$2"; shift 2 ;;
    --smoke) smoke=1; shift ;;
    *) echo "usage: $0 [--build DIR] [--runs N] [--duration S] [--cases LIST] [--smoke]" >&2
       exit 2 ;;
  esac
done
if [ -z "$build" ]; then
  build="$root/build/release"
  [ -x "$build/bench/bare_acceptor" ] || build="$root/build/default"
fi
daemon_bin="$build/daemon/combo-routerd"
load_bin="$build/bench/fix_load"
bare_bin="$build/bench/bare_acceptor"
for bin in "$daemon_bin" "$load_bin" "$bare_bin"; do
  [ -x "$bin" ] || { echo "daemon_vs_bare: $bin is not built" >&2; exit 2; }
done
if [ "$smoke" = 1 ]; then
  runs=1
  duration=1
  cases="ack100,cancel100"
fi

work="$(mktemp -d "${TMPDIR:-/tmp}/daemon_vs_bare.XXXXXX")"
server_pid=""
cleanup() {
  if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

# A free TCP port on the loopback (bound and released by the kernel's choice).
free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

# Waits (up to 30 s) until something accepts on 127.0.0.1:$1.
wait_listening() {
  for _ in $(seq 300); do
    if (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; then return 0; fi
    sleep 0.1
  done
  return 1
}

# demo.yaml with a private data directory, free ports and the load's sessions.
daemon_config() {
  local dir="$1" fix_port="$2" metrics_port="$3"
  awk -v dir="$dir" -v fix_port="$fix_port" -v metrics_port="$metrics_port" '
    /^daemon:/ { section = "daemon" } /^metrics:/ { section = "metrics" } /^fix:/ { section = "fix" }
    /^risk:/ { section = "risk" }
    /^[a-z_]+:/ && !/^(daemon|metrics|fix|risk):/ { section = "" }
    section == "daemon" && /^  data_dir:/ { print "  data_dir: " dir; next }
    section == "metrics" && /^  port:/ { print "  port: " metrics_port; next }
    section == "fix" && /^  port:/ { print "  port: " fix_port; next }
    section == "fix" && /^  log_directory:/ { print; next }
    section == "risk" && /^  client_credit_limits:/ {
      # The load sessions rest up to 750,000 orders of $235 each: a credit line that holds them.
      print
      for (i = 1; i <= 4; i++) print "    LOAD" i ": 1000000000"
      next
    }
    section == "fix" && /^  sessions:/ {
      print
      for (i = 1; i <= 4; i++) print "    - {client_comp_id: LOAD" i "}"
      next
    }
    { print }
  ' "$root/config/examples/demo.yaml"
}

# Starts the acceptor $1 (daemon|bare) on a fresh port; sets server_pid and port.
start_server() {
  local kind="$1" run_dir="$work/$kind.$RANDOM"
  mkdir -p "$run_dir"
  port="$(free_port)"
  if [ "$kind" = daemon ]; then
    daemon_config "$run_dir/data" "$port" "$(free_port)" >"$run_dir/config.yaml"
    # The demo's instrument master, relative to the config.
    cp -r "$root/config/examples/instruments" "$run_dir/"
    (cd "$root" && exec "$daemon_bin" --config "$run_dir/config.yaml") >"$run_dir/out.txt" 2>&1 &
  else
    "$bare_bin" --port "$port" --dictionary "$root/fix/spec/FIX44-combo.xml" \
      --targets LOAD1,LOAD2,LOAD3,LOAD4 >"$run_dir/out.txt" 2>&1 &
  fi
  server_pid=$!
  if ! wait_listening "$port"; then
    echo "daemon_vs_bare: the $kind did not start:" >&2
    cat "$run_dir/out.txt" >&2
    exit 1
  fi
}

# SIGKILL: nothing of a run's acceptor is kept, so neither waits for an orderly drain.
stop_server() {
  kill -KILL "$server_pid" 2>/dev/null || true
  wait "$server_pid" 2>/dev/null || true
  server_pid=""
}

# The demo's native call spread on its LEAPS (the instrument master always lists them).
demo_legs="SPY 20281215 C 450 +1 / SPY 20281215 C 460 -1"

# fix_load's arguments for case $1.
case_args() {
  case "$1" in
    ack100) echo "--sender LOAD1 --mode ack --sessions 1 --rate 100 --duration $duration" ;;
    ack1000) echo "--sender LOAD1 --mode ack --sessions 1 --rate 1000 --duration $duration" ;;
    cancel100) echo "--sender LOAD1 --mode cancel --sessions 1 --rate 100 --duration $duration" ;;
    pipelined1) echo "--sender LOAD1 --mode ack --sessions 1 --pipelined --rate 20000 --duration 1" ;;
    pipelined4) echo "--sender LOAD --mode ack --sessions 4 --pipelined --rate 25000 --duration 30" ;;
    *) echo "daemon_vs_bare: unknown case $1" >&2; exit 2 ;;
  esac
}

# One run: prints "ack_p50 ack_p99 acks_per_s cancel_ack_p50 cancel_p50" (us, us, 1/s, us, us) of
# fix_load's output: the cancel's first answer (Pending Cancel) and its Canceled.
# The bare acceptor (QuickFIX's single-threaded SocketAcceptor) has been seen to stop answering
# part way through a cancel run; a run of the reference that did not answer everything is run
# once more on a fresh acceptor. The daemon gets no second chance: every order it does not
# answer fails the benchmark.
run_once() {
  local kind="$1" case_name="$2" attempt="${3:-1}" out
  start_server "$kind"
  # shellcheck disable=SC2046
  if ! out="$("$load_bin" --connect "127.0.0.1:$port" $(case_args "$case_name") --legs "$demo_legs")"; then
    echo "daemon_vs_bare: $case_name against the $kind did not get every answer:" >&2
    echo "$out" >&2
    stop_server
    if [ "$kind" = bare ] && [ "$attempt" = 1 ]; then
      echo "daemon_vs_bare: running the bare acceptor's $case_name again" >&2
      run_once "$kind" "$case_name" 2
      return
    fi
    exit 1
  fi
  stop_server
  echo "$out" | awk '
    /acknowledged/ { for (i = 1; i <= NF; i++) if ($i == "acknowledged") { rate = $(i + 2); gsub(/[(\/s);,]/, "", rate) } }
    /^ack / { for (i = 1; i <= NF; i++) { if ($i ~ /^p50=/) a50 = substr($i, 5); if ($i ~ /^p99=/) a99 = substr($i, 5) } }
    /^cancel ack / { for (i = 1; i <= NF; i++) if ($i ~ /^p50=/) k50 = substr($i, 5); next }
    /^cancel / { for (i = 1; i <= NF; i++) if ($i ~ /^p50=/) c50 = substr($i, 5) }
    END { printf "%s %s %s %s %s\n", a50, a99, rate, (k50 == "" ? "-" : k50), (c50 == "" ? "-" : c50) }'
}

median() { sort -g | awk '{ v[NR] = $1 } END { if (NR == 0) print "-"; else print v[int((NR + 1) / 2)] }'; }

printf "%-11s %-6s %10s %10s %12s %11s %11s\n" case side "ack p50" "ack p99" "acks/s" "cxl ack p50" \
  "cancel p50"
for case_name in ${cases//,/ }; do
  : >"$work/daemon.txt"
  : >"$work/bare.txt"
  for _ in $(seq "$runs"); do
    run_once daemon "$case_name" >>"$work/daemon.txt"
    run_once bare "$case_name" >>"$work/bare.txt"
  done
  for kind in daemon bare; do
    read -r "${kind}_p50" "${kind}_p99" "${kind}_rate" "${kind}_cxlack" "${kind}_cancel" < <(
      for column in 1 2 3 4 5; do awk -v c="$column" '{ print $c }' "$work/$kind.txt" | median; done | xargs)
  done
  printf "%-11s %-6s %10s %10s %12s %11s %11s\n" "$case_name" daemon "$daemon_p50" "$daemon_p99" \
    "$daemon_rate" "$daemon_cxlack" "$daemon_cancel"
  printf "%-11s %-6s %10s %10s %12s %11s %11s\n" "$case_name" bare "$bare_p50" "$bare_p99" \
    "$bare_rate" "$bare_cxlack" "$bare_cancel"
  awk -v a="$daemon_p50" -v b="$bare_p50" -v c="$daemon_p99" -v d="$bare_p99" -v e="$daemon_rate" \
      -v f="$bare_rate" -v k="$daemon_cxlack" -v l="$bare_cxlack" -v g="$daemon_cancel" \
      -v h="$bare_cancel" -v name="$case_name" 'BEGIN {
    printf "%-11s %-6s %9.2fx %9.2fx %11.2fx", name, "ratio", a / b, c / d, e / f
    if (k != "-" && l != "-") printf " %10.2fx", k / l; else printf " %11s", "-"
    if (g != "-" && h != "-") printf " %10.2fx", g / h; else printf " %11s", "-"
    printf "\n" }'
done
