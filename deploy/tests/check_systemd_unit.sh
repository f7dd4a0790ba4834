#!/usr/bin/env bash
# Checks deploy/systemd/combo-routerd.service: `systemd-analyze verify` must have nothing to say
# about it (it only warns on an unknown key or a bad value, so any output is a failure), and
# `systemd-analyze security` must rate its exposure at most 2.0 ("OK") so the hardening stays.
# ExecStart is pointed at the built daemon, since verify checks that the program exists.
# Usage: check_systemd_unit.sh UNIT_FILE DAEMON_BINARY
set -euo pipefail
unit="$1"
daemon=$(readlink -f "$2")
if ! command -v systemd-analyze >/dev/null; then
  echo "systemd-analyze is not installed: scripts/install_deps.sh installs it (package systemd)" >&2
  exit 1
fi
[[ -x "$daemon" ]] || { echo "no daemon binary at $daemon" >&2; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
copy="$tmp/$(basename "$unit")"
sed -e "s#^ExecStart=/usr/bin/combo-routerd #ExecStart=$daemon #" "$unit" >"$copy"
grep -q "^ExecStart=$daemon " "$copy" ||
  { echo "$unit: no ExecStart=/usr/bin/combo-routerd" >&2; exit 1; }
for key in Restart=on-failure User=combo-router NoNewPrivileges=yes ProtectSystem=strict \
    StateDirectory=combo-router ExecReload=; do
  grep -q "^$key" "$copy" || { echo "$unit: missing $key" >&2; exit 1; }
done

out=$(systemd-analyze verify "$copy" 2>&1) || { echo "$out" >&2; exit 1; }
# Lines about other units (systemd's own, on a machine without it running) are not ours.
ours=$(grep -F "$(basename "$unit")" <<<"$out" || true)
if [[ -n "$ours" ]]; then
  echo "systemd-analyze verify complains about $unit:" >&2
  echo "$ours" >&2
  exit 1
fi
security=$(systemd-analyze security --offline=yes --threshold=20 "$copy" 2>&1) || {
  echo "$security" | tail -5 >&2
  echo "$unit: exposure above 2.0: the hardening options were weakened" >&2
  exit 1
}
echo "$(tail -1 <<<"$security")"
echo "check_systemd_unit: $unit verifies clean"
