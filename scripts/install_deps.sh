#!/usr/bin/env bash
# Installs the Debian 12 packages combo-router builds with, if any is missing. Idempotent and
# quiet: with everything present it only checks. Run as root (or with sudo available).
# Usage: scripts/install_deps.sh [--build-only]
#   --build-only  only what building needs (the Dockerfile's build stage), not the tools the
#                 deploy tests run: Prometheus (prometheus, promtool) and headless Chromium.
set -euo pipefail

packages=(
  clang cmake ninja-build ccache pkg-config
  clang-format clang-tidy libclang-rt-14-dev
  libboost-dev libquickfix-dev libabsl-dev prometheus-cpp-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  libyaml-cpp-dev libspdlog-dev libsqlite3-dev sqlite3 libsodium-dev
)
if [[ "${1:-}" != "--build-only" ]]; then
  # deploy/ tests: promtool test rules / check config / check metrics, a Prometheus serving the
  # console, Chromium rendering it, systemd-analyze verifying the unit.
  packages+=(prometheus chromium systemd)
fi

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
if ((${#missing[@]} == 0)); then
  exit 0
fi

sudo=""
if [[ $(id -u) -ne 0 ]]; then sudo="sudo"; fi
echo "install_deps: installing ${missing[*]}"
log=$(mktemp)
if ! { $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
    $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"; } >"$log" 2>&1; then
  cat "$log" >&2
  echo "install_deps: apt-get failed (log above)" >&2
  exit 1
fi
rm -f "$log"
# Debian's prometheus package starts its own server on :9090 where an init system runs; the
# tests start their own on ephemeral ports and need none.
if [[ " ${missing[*]} " == *" prometheus "* ]] && command -v systemctl >/dev/null &&
    systemctl is-active --quiet prometheus 2>/dev/null; then
  $sudo systemctl disable --now prometheus >/dev/null 2>&1 || true
fi
