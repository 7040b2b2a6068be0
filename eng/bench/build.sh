#!/usr/bin/env bash
# Build-and-push benchmark against buildah, side by side in one run, on loopback registries.
#
# The context is 2,000 text files (~120 MB, deterministic content) in a two-level tree; the Dockerfile
# starts from a busybox base (made from Debian's busybox-static with umoci and served to both tools
# from loopback registry A), runs two steps before the COPY of the tree and two after it that read the
# copied tree. Each tool builds and pushes to its own repository on a loopback registry:
#   ours:    dockerbuild build --push -t B/ours:1 CTX                 (own DOCKERBUILD_ROOT)
#   buildah: buildah bud --layers -t B/theirs:1 CTX; buildah push ...  (overlay storage driver, runc,
#            own --root/--runroot; --network host, the network our RUN steps get by default)
# Cases, each timed build + push:
#   cold       empty stores and an empty registry for both; both pull the base from A (counted for both)
#   no-change  the same build again on the warm stores, pushed to the same registry
#   one-file   one of the 2,000 files changed: the COPY and every step after it rerun and are pushed
# Each case runs --runs times (default 3) alternating which tool goes first; the median is reported
# with the ratio ours/buildah (below 1.0 means we are faster) against the goals of the build-engine
# issue.
#
# Usage: eng/bench/build.sh [--runs N] [--files N] [--total-mb MB]
set -euo pipefail
cd "$(dirname "$0")/../.."

runs=3 files=2000 total_mb=120
while (($#)); do
  case "$1" in
    --runs) runs=$2; shift 2 ;;
    --files) files=$2; shift 2 ;;
    --total-mb) total_mb=$2; shift 2 ;;
    *) echo "unknown option: $1" >&2; exit 2 ;;
  esac
done

bash eng/install-deps.sh
work=$(mktemp -d /var/tmp/dockerbuild-bench.XXXXXX)
bh_root=$work/buildah/root bh_runroot=$work/buildah/runroot
buildah_() { buildah --root "$bh_root" --runroot "$bh_runroot" --storage-driver overlay "$@"; }
wipe_buildah() { # buildah's overlay store holds mounts; let buildah undo them before the files go
  [ -d "$bh_root" ] && { buildah_ rm -a >/dev/null 2>&1 || true; buildah_ rmi -a -f >/dev/null 2>&1 || true; }
  umount -R "$bh_root/overlay" 2>/dev/null || true
  rm -rf "$work/buildah"
}
cleanup() {
  wipe_buildah
  for d in "$work"/*/; do stop_registry "$d"; done
  rm -rf "$work"
}
trap cleanup EXIT

case "$(uname -m)" in aarch64|arm64) arch=arm64 ;; *) arch=amd64 ;; esac
# shellcheck source=eng/lib/cli.sh
source eng/lib/cli.sh
# shellcheck source=eng/lib/bench.sh
source eng/lib/bench.sh
publish_cli

A=$(start_registry "$work/a")

echo "Making the busybox base with umoci..."
busybox=$(command -v busybox)
rootfs=$work/base/rootfs
mkdir -p "$rootfs/bin" "$rootfs/etc" "$rootfs/tmp" "$rootfs/root" "$rootfs/proc" "$rootfs/sys" "$rootfs/dev"
cp "$busybox" "$rootfs/bin/busybox"
for applet in $("$busybox" --list); do [ -e "$rootfs/bin/$applet" ] || ln -s busybox "$rootfs/bin/$applet"; done
printf 'root:x:0:0:root:/root:/bin/sh\n' > "$rootfs/etc/passwd"
printf 'root:x:0:\n' > "$rootfs/etc/group"
umoci init --layout "$work/base/oci" >/dev/null
umoci new --image "$work/base/oci:1" >/dev/null
umoci config --image "$work/base/oci:1" --os linux --architecture "$arch" \
  --config.env PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin --config.cmd sh >/dev/null
umoci insert --image "$work/base/oci:1" "$rootfs" / >/dev/null
skopeo copy -q --dest-tls-verify=false "oci:$work/base/oci:1" "docker://$A/busybox:1"
rm -rf "$work/base"

echo "Generating the context: $files files, ~$total_mb MB..."
ctx=$work/context
python3 - "$ctx" "$files" "$total_mb" <<'PY'
import os, random, sys
ctx, files, total_mb = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
rng = random.Random(20261206)
words = ["".join(rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(rng.randint(2, 10))) for _ in range(5000)]
# A pool of text lines; each file is a deterministic run of them, so the content reads as text and
# compresses as text does.
lines = [" ".join(rng.choices(words, k=rng.randint(4, 16))) + "\n" for _ in range(200_000)]
average = total_mb * 1024 * 1024 // files
for i in range(files):
    path = os.path.join(ctx, "src", f"d{i % 20:02d}", f"s{i // 20 % 10}", f"f{i:04d}.txt")
    os.makedirs(os.path.dirname(path), exist_ok=True)
    target = rng.randint(average // 4, average * 7 // 4)
    start = rng.randrange(len(lines))
    out, size, j = [f"file {i}\n"], 0, start
    while size < target:
        line = lines[j % len(lines)]
        out.append(line); size += len(line); j += 1
    with open(path, "w") as f:
        f.write("".join(out))
PY
cat > "$ctx/Dockerfile" <<DOCKERFILE
FROM $A/busybox:1
RUN mkdir -p /app /var/log/bench && echo "base prepared" > /var/log/bench/prepare
RUN echo 'app:x:1000:1000::/app:/bin/sh' >> /etc/passwd && echo 'app:x:1000:' >> /etc/group
COPY src/ /app/
RUN find /app -type f | wc -l > /var/log/bench/files && du -sk /app > /var/log/bench/size
RUN cat /app/d00/s0/f0000.txt /app/d19/s9/f1999.txt | md5sum > /var/log/bench/sums
WORKDIR /app
CMD ["sh"]
DOCKERFILE
printf '*\n!src\n!Dockerfile\n' > "$ctx/.dockerignore"
size_mb=$(du -sm "$ctx/src" | cut -f1)
echo "Context: $(find "$ctx/src" -type f | wc -l) files, ${size_mb} MB."

ours_store=$work/ours-store

ours() { # registry
  DOCKERBUILD_ROOT=$ours_store "${dockerbuild[@]}" build --progress plain --push -t "$1/ours:1" "$ctx" > "$work/ours.log" 2>&1 \
    || { cat "$work/ours.log" >&2; exit 1; }
}
theirs() { # registry
  { buildah_ bud --layers --runtime runc --network host --tls-verify=false -q -t "$1/theirs:1" "$ctx" &&
    buildah_ push --tls-verify=false -q "$1/theirs:1" "docker://$1/theirs:1"; } > "$work/theirs.log" 2>&1 \
    || { cat "$work/theirs.log" >&2; exit 1; }
}
children_cpu() { # file -> user + system seconds of this shell's finished children, as `times` wrote them there
  tail -1 "$1" | awk '{ t = 0; for (i = 1; i <= 2; i++) { split($i, p, /[ms]/); t += p[1] * 60 + p[2] } printf "%.3f", t }'
}
timed() { # tool registry -> sets $wall and $cpu (CPU seconds of the tool and every process it waited for)
  # `times` runs in this shell, not in $(...), whose subshell would count only its own children.
  local t0 t1; t0=$(now); times > "$work/times0"; "$1" "$2"; times > "$work/times1"; t1=$(now)
  wall=$(elapsed "$t0" "$t1") cpu=$(elapsed "$(children_cpu "$work/times0")" "$(children_cpu "$work/times1")")
}

declare -A times cpus
for r in $(seq "$runs"); do
  # Alternate which tool goes first, so that neither always finds the page cache the other warmed.
  if ((r % 2)); then order=(ours theirs); else order=(theirs ours); fi
  B=$(start_registry "$work/b$r")
  rm -rf "$ours_store"; wipe_buildah
  line="run $r:"
  for c in cold no-change one-file; do
    if [ "$c" = one-file ]; then echo "changed in run $r" >> "$ctx/src/d07/s3/f0867.txt"; fi
    for tool in "${order[@]}"; do
      timed "$tool" "$B"
      times[$c,$tool]+="$wall " cpus[$c,$tool]+="$cpu "
      line+=" $c $tool ${wall}s (cpu ${cpu}s)"
    done
  done
  echo "$line"
  stop_registry "$work/b$r"
  rm -rf "$work/b$r"
done

echo
echo "Build and push of $files files (${size_mb} MB) with 4 RUN steps, median of $runs runs; load average: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "(cpu: user + system seconds of the tool and its children, runc included; a steadier view on a busy machine)"
printf '%-10s %10s %10s %7s %6s %7s  %s\n' case ours buildah ratio goal result "cpu ratio"
for c in cold no-change one-file; do
  case $c in cold) goal=0.7 ;; no-change) goal=0.25 ;; one-file) goal=0.5 ;; esac
  python3 -c "
o, t, g = $(median ${times[$c,ours]}), $(median ${times[$c,theirs]}), $goal
co, ct = $(median ${cpus[$c,ours]}), $(median ${cpus[$c,theirs]})
r = o / t
print(f'{\"$c\":<10} {o:9.3f}s {t:9.3f}s {r:7.2f} {g:6.2f} {\"PASS\" if r <= g else \"MISS\":>7}  {co / ct:.2f} ({co:.2f}s / {ct:.2f}s)')"
done
