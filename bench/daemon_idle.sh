#!/usr/bin/env bash
# The daemon at rest on the demo (docs/BENCHMARKS.md "Instrument master at chain scale"):
# starts combo-routerd on a private copy of config/examples/demo.yaml (its instrument master
# beside it, a temporary data directory, free ports), and reports
#   startup_ms   from exec until the listen file is written (everything listens);
#   cpu_cores    CPU time over wall time (user + system, /proc/<pid>/stat) for SECONDS seconds
#                of the simulator's background market with no order flow, after a 5 s settle;
#   rss_kib      resident memory at the end (VmRSS), and its peak (VmHWM).
#
#   bench/daemon_idle.sh [--seconds N] [--daemon build/default/daemon/combo-routerd]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
daemon_bin="$root/build/default/daemon/combo-routerd"
seconds=30
while [ $# -gt 0 ]; do
  case "$1" in
    --seconds) seconds="$2"; shift 2 ;;
    --daemon) daemon_bin="$2"; shift 2 ;;
    *) echo "usage: $0 [--seconds N] [--daemon BIN]" >&2; exit 2 ;;
  esac
done
[ -x "$daemon_bin" ] || { echo "daemon_idle: $daemon_bin is not built" >&2; exit 2; }

work="$(mktemp -d "${TMPDIR:-/tmp}/daemon_idle.XXXXXX")"
pid=""
cleanup() {
  if [ -n "$pid" ]; then kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

cp -r "$root/config/examples/instruments" "$work/"
awk -v dir="$work/data" -v fix_port="$(free_port)" -v metrics_port="$(free_port)" '
  /^daemon:/ { section = "daemon" } /^metrics:/ { section = "metrics" } /^fix:/ { section = "fix" }
  /^[a-z_]+:/ && !/^(daemon|metrics|fix):/ { section = "" }
  section == "daemon" && /^  data_dir:/ { print "  data_dir: " dir; next }
  section == "metrics" && /^  port:/ { print "  port: " metrics_port; next }
  section == "fix" && /^  port:/ { print "  port: " fix_port; next }
  { print }
' "$root/config/examples/demo.yaml" >"$work/demo.yaml"

start=$(date +%s%N)
(cd "$root" && exec "$daemon_bin" --config "$work/demo.yaml" --listen-file "$work/listening") \
  >"$work/out.txt" 2>&1 &
pid=$!
for _ in $(seq 3000); do
  [ -f "$work/listening" ] && break
  kill -0 "$pid" 2>/dev/null || { cat "$work/out.txt" >&2; exit 1; }
  sleep 0.01
done
ready=$(date +%s%N)
echo "startup_ms $(( (ready - start) / 1000000 ))"
sleep 5
ticks=$(getconf CLK_TCK)
cpu() { awk '{print $14 + $15}' "/proc/$pid/stat"; }
c1=$(cpu); t1=$(date +%s%N)
sleep "$seconds"
c2=$(cpu); t2=$(date +%s%N)
awk -v c="$((c2 - c1))" -v hz="$ticks" -v ns="$((t2 - t1))" \
  'BEGIN { printf "cpu_cores %.3f\n", c / hz / (ns / 1e9) }'
awk '/^VmRSS|^VmHWM/ { print ($1 == "VmRSS:" ? "rss_kib " : "rss_peak_kib ") $2 }' \
  "/proc/$pid/status"
grep -o 'listed=[0-9]* expired_skipped=[0-9]*' "$work/data/daemon.log" 2>/dev/null ||
  grep -o 'event=instrument_master.*' "$work/out.txt" || true
