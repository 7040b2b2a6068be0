#!/usr/bin/env bash
# Registers qemu-user-static's emulators in binfmt_misc (as root), so `dockerbuild build --platform
# linux/arm64` can RUN foreign programs. Debian ships the registrations in /usr/lib/binfmt.d but, without
# systemd, nothing writes them to the kernel. Their flags include F, which BuildKit and dockerbuild need:
# the kernel keeps the interpreter open, so it runs inside a container's root filesystem. Idempotent.
# Usage: eng/register-qemu.sh [QEMU_ARCH...]   (default: aarch64)
set -euo pipefail

binfmt=/proc/sys/fs/binfmt_misc
[ -e "$binfmt/register" ] || mount -t binfmt_misc binfmt_misc "$binfmt"

for arch in "${@:-aarch64}"; do
  conf=/usr/lib/binfmt.d/qemu-$arch.conf
  [ -f "$conf" ] || { echo "eng/register-qemu.sh: $conf is missing; install qemu-user-static (eng/install-deps.sh)" >&2; exit 1; }
  if [ -e "$binfmt/qemu-$arch" ]; then
    grep -q '^flags:.*F' "$binfmt/qemu-$arch" || echo "eng/register-qemu.sh: qemu-$arch is registered without the F flag; unregister it (echo -1 > $binfmt/qemu-$arch) and run again" >&2
    continue
  fi
  grep -v '^#' "$conf" | grep -m1 . > "$binfmt/register"
  echo "eng/register-qemu.sh: registered qemu-$arch"
done
