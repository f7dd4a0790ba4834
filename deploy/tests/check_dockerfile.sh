#!/usr/bin/env bash
# Checks deploy/docker/Dockerfile without a container engine (CI has none):
#   - both stages are Debian 12; the final stage runs as a non-root USER;
#   - every file of the source tree it copies into the image exists;
#   - every shared library the built daemon loads (ldd) belongs to a Debian package the runtime
#     stage installs, to one they depend on (dpkg's own records), or to the base image's C and
#     C++ runtime: the image can start the daemon it builds;
#   - the image's default config (the demo, rewritten by the build stage's sed) passes
#     `combo-routerd --check-config`.
# Usage: check_dockerfile.sh DOCKERFILE SOURCE_DIR DAEMON_BINARY
set -euo pipefail
dockerfile="$1"
src="$2"
daemon="$3"
fail() { echo "check_dockerfile: $dockerfile: $*" >&2; exit 1; }

froms=$(grep -E '^FROM ' "$dockerfile" | awk '{print $2}')
[[ $(wc -l <<<"$froms") -ge 2 ]] || fail "expected a build and a runtime stage"
while read -r image; do
  [[ $image =~ ^debian:12(-slim)?$ ]] || fail "stage image $image is not Debian 12"
done <<<"$froms"

# The final stage: from its FROM to the end.
final=$(awk '/^FROM /{buf=""} {buf=buf $0 "\n"} END{printf "%s", buf}' "$dockerfile")
user=$(grep -E '^USER ' <<<"$final" | tail -1 | awk '{print $2}')
[[ -n "$user" ]] || fail "the runtime stage sets no USER (it would run as root)"
[[ ${user%%:*} != root && ${user%%:*} != 0 ]] || fail "the runtime stage runs as root ($user)"
grep -qE '^ENTRYPOINT .*combo-routerd' <<<"$final" || fail "no ENTRYPOINT running combo-routerd"
grep -qE '^VOLUME .*/var/lib/combo-router' <<<"$final" || fail "the state directory is no VOLUME"

# Source files the build stage installs into the image.
for f in $(grep -oE '(fix|config)/[A-Za-z0-9_./-]+\.(xml|yaml)' "$dockerfile" | sort -u); do
  [[ -f "$src/$f" ]] || fail "copies $f, which is not in the source tree"
done

# Runtime packages: the words after "apt-get install ... -y --no-install-recommends" in the final
# stage, up to the next "&&".
runtime=$(tr '\n' ' ' <<<"$final" | sed 's/\\ / /g' |
  grep -oE 'install -y --no-install-recommends [^&]*' | head -1 |
  sed 's/install -y --no-install-recommends//')
[[ -n "${runtime// /}" ]] || fail "the runtime stage installs no package"
declare -A allowed=([libc6]=1 [libgcc-s1]=1 [libstdc++6]=1)
queue=($runtime)
while ((${#queue[@]})); do
  p="${queue[0]}"
  queue=("${queue[@]:1}")
  [[ -n "${allowed[$p]+x}" && " $runtime " != *" $p "* ]] && continue
  allowed[$p]=1
  if ! deps=$(dpkg-query -W -f='${Depends} ${Pre-Depends}' "$p" 2>/dev/null); then
    # Not installed here: it provides none of the libraries below, but it must exist.
    if [[ " $runtime " == *" $p "* ]] && ! apt-cache show "$p" >/dev/null 2>&1; then
      fail "runtime package $p is not a Debian package"
    fi
    continue
  fi
  for d in $(tr ',|' '\n\n' <<<"$deps" | sed -E 's/\(.*\)//; s/:any//' | awk '{print $1}'); do
    [[ -n "$d" && -z "${allowed[$d]+x}" ]] && queue+=("$d")
  done
done

[[ -x "$daemon" ]] || fail "no daemon binary at $daemon"
missing=()
declare -A lib_of=()
paths=()
while read -r lib path; do
  [[ -n "$path" ]] || continue
  for candidate in "$path" "$(readlink -f "$path")"; do
    lib_of[$candidate]="$lib"
    paths+=("$candidate")
  done
done < <(ldd "$daemon" | awk '/=> \//{print $1, $3}')
# One dpkg query for all of them ("pkg:arch: /path" per owned path; /lib and /usr/lib both tried).
declare -A owner=()
while IFS= read -r line; do
  pkg="${line%%: *}"
  owner[${line#*: }]="${pkg%%:*}"
done < <(dpkg -S "${paths[@]}" 2>/dev/null || true)
declare -A seen=()
for path in "${paths[@]}"; do
  lib="${lib_of[$path]}"
  [[ -n "${owner[$path]+x}" ]] && seen[$lib]="${owner[$path]}"
done
for lib in $(printf '%s\n' "${lib_of[@]}" | sort -u); do
  pkg="${seen[$lib]:-}"
  if [[ -z "$pkg" ]]; then
    missing+=("$lib (no Debian package owns it)")
  elif [[ -z "${allowed[$pkg]+x}" ]]; then
    missing+=("$lib (package $pkg)")
  fi
done
if ((${#missing[@]})); then
  printf '  %s\n' "${missing[@]}" >&2
  fail "the runtime stage lacks the packages of these libraries the daemon loads"
fi
# The default config as the build stage writes it: the demo through the Dockerfile's own sed.
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
build_stage=$(awk '/^FROM /{n++} n==1' "$dockerfile" | sed -e ':a' -e '/\\$/N; s/\\\n//; ta')
expressions=$(grep -oE "sed -i( +-e +'[^']*')+" <<<"$build_stage" | head -1 | sed 's/^sed -i//')
[[ -n "$expressions" ]] || fail "the build stage does not rewrite the default config with sed -i"
cp "$src/config/examples/demo.yaml" "$tmp/combo-router.yaml"
# The demo's instrument master, beside the config as the image installs it.
mkdir -p "$tmp/instruments"
cp "$src/config/examples/instruments/demo.csv" "$tmp/instruments/demo.csv"
grep -q 'config/examples/instruments/demo.csv' "$dockerfile" ||
  fail "the image does not install the demo's instrument master beside its config"
eval "sed -i $expressions \"\$tmp/combo-router.yaml\""
grep -q 'listen_address: "0.0.0.0"' "$tmp/combo-router.yaml" ||
  fail "the image's config does not listen on 0.0.0.0"
"$daemon" --check-config "$tmp/combo-router.yaml" >&2 ||
  fail "the image's default config does not load"

echo "check_dockerfile: Debian 12 stages, USER $user, runtime packages cover every library" \
     "combo-routerd loads, the default config loads"
