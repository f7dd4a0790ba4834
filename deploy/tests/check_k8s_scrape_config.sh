#!/usr/bin/env bash
# Checks deploy/prometheus/prometheus-kubernetes.yml with promtool. Debian's Prometheus is built
# without Kubernetes discovery, so promtool rejects kubernetes_sd_configs outright; the check runs
# on a copy whose discovery block is swapped for a static target, which still validates
# everything else (globals, rule files, every relabeling rule and its regex). That the relabeling
# reads the annotations and labels the StatefulSet sets is K8sManifestsTest's part.
# Usage: check_k8s_scrape_config.sh PROMETHEUS_DIR
set -euo pipefail
dir="$1"
config="$dir/prometheus-kubernetes.yml"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cp -r "$dir/rules" "$tmp/rules"
awk '
  /^    kubernetes_sd_configs:/ {
    print "    static_configs:"
    print "      - targets: [\"127.0.0.1:9464\"]"
    skip = 1
    next
  }
  skip && /^      / { next }
  { skip = 0; print }
' "$config" >"$tmp/prometheus-kubernetes.yml"
grep -q "static_configs" "$tmp/prometheus-kubernetes.yml" ||
  { echo "$config: no kubernetes_sd_configs block to stand in for" >&2; exit 1; }
exec "$(dirname "$0")/promtool.sh" check config "$tmp/prometheus-kubernetes.yml"
