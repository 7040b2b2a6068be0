#!/usr/bin/env bash
# Installs the real components the test suite and samples use: runc runs RUN steps, the CNCF
# distribution registry is the push/pull peer, skopeo, umoci and podman read back what we write, busybox and
# debootstrap make local base images (debian-archive-keyring verifies what it downloads; also on
# Ubuntu hosts), buildah is the reference builder, qemu-user-static runs RUN for a foreign --platform
# (the tests register its binfmt_misc entry); clang and zlib1g-dev are Native AOT's toolchain, which
# compiles the package's native host (Dockerbuild.Publish.Host); the eng/ scripts use python3, curl and flock.
# Idempotent and quiet when everything is already there.
set -euo pipefail

packages=(runc docker-registry apache2-utils openssl skopeo umoci podman busybox-static debootstrap buildah
          uidmap fuse-overlayfs zstd xz-utils bzip2 iproute2 hyperfine curl ca-certificates openssh-client
          qemu-user-static debian-archive-keyring python3 util-linux clang zlib1g-dev)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

if ((${#missing[@]})); then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  echo "eng/install-deps.sh: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq
  $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
