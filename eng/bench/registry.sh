#!/usr/bin/env bash
# Push and pull benchmark against skopeo, side by side in one run, on loopback registries.
#
# An image of several hundred MB (incompressible layers, made with umoci) is seeded into registry A.
#   pull: `dockerbuild pull A/seed` into a fresh store   vs  `skopeo copy docker://A/seed oci:DIR`
#   push: `dockerbuild push B/ours` of the pulled image   vs  `skopeo copy oci:DIR docker://B/theirs`
# Both tools move the same compressed blobs and verify their digests. Each run pushes to a new, empty
# registry B, so that neither tool can satisfy a push with a blob already there or a mount.
# Each case runs --runs times (default 3) alternating the tools; the median is reported with the ratio
# ours/skopeo (below 1.0 means we are faster).
#
# Usage: eng/bench/registry.sh [--layers N] [--layer-mb MB] [--runs N]
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$PWD

layers=4 layer_mb=75 runs=3
while (($#)); do
  case "$1" in
    --layers) layers=$2; shift 2 ;;
    --layer-mb) layer_mb=$2; shift 2 ;;
    --runs) runs=$2; shift 2 ;;
    *) echo "unknown option: $1" >&2; exit 2 ;;
  esac
done

bash eng/install-deps.sh
work=$(mktemp -d /var/tmp/dockerbuild-bench.XXXXXX)
# shellcheck source=eng/lib/cli.sh
source eng/lib/cli.sh
# shellcheck source=eng/lib/bench.sh
source eng/lib/bench.sh
cleanup() { for d in "$work"/*/; do stop_registry "$d"; done; rm -rf "$work"; }
trap cleanup EXIT

publish_cli

A=$(start_registry "$work/a")

echo "Making a ${layers}x${layer_mb} MB image with umoci..."
umoci init --layout "$work/src" >/dev/null
umoci new --image "$work/src:bench" >/dev/null
for i in $(seq "$layers"); do
  mkdir -p "$work/l$i/layer$i"
  head -c "${layer_mb}M" /dev/urandom > "$work/l$i/layer$i/data.bin"
  umoci insert --rootless --image "$work/src:bench" "$work/l$i" / >/dev/null
  rm -rf "$work/l$i"
done
skopeo copy -q --dest-tls-verify=false "oci:$work/src:bench" "docker://$A/seed:1"
rm -rf "$work/src"
size_mb=$(du -sm "$work/a/data" | cut -f1)
echo "Seeded $A/seed:1 (${size_mb} MB stored)."


ours_pull=() theirs_pull=() ours_push=() theirs_push=()
for r in $(seq "$runs"); do
  store="$work/store$r"; rm -rf "$store"
  t0=$(now); DOCKERBUILD_ROOT=$store "${dockerbuild[@]}" pull -q "$A/seed:1" >/dev/null; t1=$(now)
  ours_pull+=("$(elapsed "$t0" "$t1")")

  rm -rf "$work/pulled"
  t0=$(now); skopeo copy -q --src-tls-verify=false "docker://$A/seed:1" "oci:$work/pulled:1"; t1=$(now)
  theirs_pull+=("$(elapsed "$t0" "$t1")")

  B=$(start_registry "$work/b$r")
  DOCKERBUILD_ROOT=$store "${dockerbuild[@]}" tag "$A/seed:1" "$B/ours$r:1"
  t0=$(now); DOCKERBUILD_ROOT=$store "${dockerbuild[@]}" push -q "$B/ours$r:1" >/dev/null; t1=$(now)
  ours_push+=("$(elapsed "$t0" "$t1")")

  t0=$(now); skopeo copy -q --dest-tls-verify=false "oci:$work/pulled:1" "docker://$B/theirs$r:1"; t1=$(now)
  theirs_push+=("$(elapsed "$t0" "$t1")")
  stop_registry "$work/b$r"
  rm -rf "$store" "$work/b$r"
  echo "run $r: pull ours ${ours_pull[-1]}s skopeo ${theirs_pull[-1]}s | push ours ${ours_push[-1]}s skopeo ${theirs_push[-1]}s"
done

report() { # case ours[] theirs[]
  local name=$1 o t; o=$(median $2); t=$(median $3)
  printf '%-5s  ours %7.3fs  skopeo %7.3fs  ratio %.2f\n' "$name" "$o" "$t" "$(python3 -c "print($o/$t)")"
}
echo "Image: ${layers} layers x ${layer_mb} MB, median of $runs runs"
report pull "${ours_pull[*]}" "${theirs_pull[*]}"
report push "${ours_push[*]}" "${theirs_push[*]}"
