#!/usr/bin/env bash
# A local stand-in for Microsoft's .NET base images (mcr.microsoft.com/dotnet/aspnet), for machines
# that reach no internet registry: a minimal Debian bookworm from the machine's Debian mirror, the
# packages Microsoft's runtime-deps image adds, and this machine's own .NET shared runtimes.
#
#   1. debootstrap --variant=minbase bookworm, plus ca-certificates, libc6, libgcc-s1, libicu72,
#      libssl3, libstdc++6, tzdata, zlib1g (runtime-deps' list); user `app` (uid/gid 1654);
#      docs, man pages and locales dropped as Debian's slim images do.
#   2. /usr/share/dotnet: the `dotnet` host, host/fxr and shared Microsoft.NETCore.App and
#      Microsoft.AspNetCore.App of the installed SDK; /usr/bin/dotnet links to it.
#   3. A rootfs tarball, cached under $DOCKERBUILD_CACHE_DIR (default /var/tmp/dockerbuild-cache)
#      keyed by the Debian suite, runtime versions, architecture and this recipe's version, so a
#      second call only checks. Sorted entries, numeric owners and clamped times keep it
#      reproducible. Written atomically (a temporary directory renamed into place) under a lock.
#   4. `dockerbuild import` into the store ($DOCKERBUILD_ROOT or --root) with the ENV, CMD and PATH
#      of Microsoft's aspnet image, tagged (both runtimes are inside, as in the aspnet image)
#        localhost/dotnet/aspnet:10.0   localhost/dotnet/aspnet:<runtime version>
#        localhost/dotnet/runtime:10.0  localhost/dotnet/runtime:<runtime version>
#      skipped when the store already holds this exact image.
#   5. With --push REF (repeatable): the image is tagged REF and pushed, e.g. to a loopback registry.
#
# Progress goes to stderr; stdout gets KEY=VALUE lines (tar, diff_id, image, dotnet_version,
# aspnet_version) for scripts and tests. Needs root (or sudo) for debootstrap and chroot.
#
# Usage: eng/base-image.sh [--root STORE] [--push REF]... [--no-import]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=eng/lib/cli.sh
source "$root/eng/lib/cli.sh"

store_root="" pushes=() import=true
while (($#)); do
  case "$1" in
    --root) store_root=$2; shift 2 ;;
    --push) pushes+=("$2"); shift 2 ;;
    --no-import) import=false; shift ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) echo "eng/base-image.sh: unknown option: $1" >&2; exit 2 ;;
  esac
done

say() { echo "base-image: $*" >&2; }
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"

recipe=1                      # bump when the steps below change what goes into the tarball
suite=bookworm
dotnet_root=$(dirname "$(readlink -f "$(command -v dotnet)")")
newest() { find "$1" -mindepth 1 -maxdepth 1 -type d -printf '%f\n' 2>/dev/null | sort -V | tail -1; }
netcore=$(newest "$dotnet_root/shared/Microsoft.NETCore.App")
aspnet=$(newest "$dotnet_root/shared/Microsoft.AspNetCore.App")
fxr=$(newest "$dotnet_root/host/fxr")
[ -n "$netcore" ] && [ -n "$aspnet" ] && [ -n "$fxr" ] \
  || { echo "eng/base-image.sh: no .NET shared runtimes under $dotnet_root/shared (install the .NET SDK)" >&2; exit 1; }
arch=$(dpkg --print-architecture)
key="$suite-netcore$netcore-aspnet$aspnet-$arch-r$recipe"
major_minor=$(echo "$netcore" | cut -d. -f1,2)

cache=${DOCKERBUILD_CACHE_DIR:-/var/tmp/dockerbuild-cache}/base-image
final="$cache/$key"
mkdir -p "$cache"

build_tarball() {
  command -v debootstrap >/dev/null || PATH=$PATH:/usr/sbin:/sbin
  command -v debootstrap >/dev/null || bash "$root/eng/install-deps.sh" >&2
  local mirror=${DEBIAN_MIRROR:-}
  if [ -z "$mirror" ]; then
    # The machine's own Debian mirror (deb822 or one-line sources), else Debian's CDN.
    mirror=$(cat /etc/apt/sources.list.d/*.sources /etc/apt/sources.list.d/*.list /etc/apt/sources.list 2>/dev/null \
      | grep -E '^(URIs:|deb )' | grep -oE '(https?|file)://[^ ]*/debian/?( |$)' | head -1 | tr -d ' ' || true)
    mirror=${mirror:-http://deb.debian.org/debian}
  fi
  local tmp; tmp=$(mktemp -d "$cache/.tmp.XXXXXX")
  # shellcheck disable=SC2064
  trap "$sudo rm -rf '$tmp'" EXIT
  local rootfs="$tmp/rootfs"
  mkdir -p "$cache/debs"
  say "debootstrap $suite from $mirror (a few minutes, once)"
  $sudo debootstrap --variant=minbase --arch="$arch" --cache-dir="$cache/debs" \
    --include=ca-certificates,libc6,libgcc-s1,libicu72,libssl3,libstdc++6,tzdata,zlib1g \
    "$suite" "$rootfs" "$mirror" > "$tmp/debootstrap.log" 2>&1 \
    || { tail -20 "$tmp/debootstrap.log" >&2; exit 1; }

  # Reproducible: every file time is clamped to this, and tools that stamp dates read it.
  local epoch; epoch=$(stat -c %Y "$dotnet_root/shared/Microsoft.NETCore.App/$netcore/System.Private.CoreLib.dll")
  say "adding user app (1654) and .NET $netcore / ASP.NET Core $aspnet"
  $sudo env SOURCE_DATE_EPOCH="$epoch" chroot "$rootfs" sh -c \
    'groupadd --gid=1654 app && useradd -l --uid=1654 --gid=1654 --create-home app'
  $sudo mkdir -p "$rootfs/usr/share/dotnet/host/fxr" "$rootfs/usr/share/dotnet/shared/Microsoft.NETCore.App" \
    "$rootfs/usr/share/dotnet/shared/Microsoft.AspNetCore.App"
  $sudo cp -a "$dotnet_root/dotnet" "$dotnet_root/LICENSE.txt" "$dotnet_root/ThirdPartyNotices.txt" "$rootfs/usr/share/dotnet/"
  $sudo cp -a "$dotnet_root/host/fxr/$fxr" "$rootfs/usr/share/dotnet/host/fxr/"
  $sudo cp -a "$dotnet_root/shared/Microsoft.NETCore.App/$netcore" "$rootfs/usr/share/dotnet/shared/Microsoft.NETCore.App/"
  $sudo cp -a "$dotnet_root/shared/Microsoft.AspNetCore.App/$aspnet" "$rootfs/usr/share/dotnet/shared/Microsoft.AspNetCore.App/"
  $sudo ln -sf /usr/share/dotnet/dotnet "$rootfs/usr/bin/dotnet"

  # Slim as Debian's docker images: what dpkg would not install there is removed here, and stays out
  # of packages a Dockerfile installs later. The host's identity files and every log and cache go.
  $sudo tee "$rootfs/etc/dpkg/dpkg.cfg.d/docker" >/dev/null <<'CFG'
path-exclude /usr/share/doc/*
path-include /usr/share/doc/*/copyright
path-exclude /usr/share/man/*
path-exclude /usr/share/info/*
path-exclude /usr/share/locale/*
path-exclude /usr/share/lintian/*
CFG
  $sudo find "$rootfs/usr/share/doc" -mindepth 1 -not -name copyright -not -type d -delete
  $sudo find "$rootfs/usr/share/doc" -mindepth 1 -type d -empty -delete
  $sudo rm -rf "$rootfs"/usr/share/{man,info,locale,lintian}/* \
    "$rootfs"/var/lib/apt/lists/* "$rootfs"/var/cache/apt/* "$rootfs"/var/cache/debconf/*-old \
    "$rootfs"/var/cache/ldconfig/aux-cache "$rootfs"/var/lib/dpkg/*-old "$rootfs"/var/log/* \
    "$rootfs"/etc/hostname "$rootfs"/etc/resolv.conf "$rootfs"/etc/*- "$rootfs"/tmp/* "$rootfs"/root/.bash_history
  : | $sudo tee "$rootfs/etc/hostname" "$rootfs/etc/resolv.conf" >/dev/null
  $sudo truncate -s 0 "$rootfs/etc/machine-id" 2>/dev/null || true

  say "writing the rootfs tarball"
  mkdir -p "$tmp/out"
  (cd "$rootfs" && LC_ALL=C $sudo tar --create --format=posix --numeric-owner --sort=name \
      --mtime="@$epoch" --clamp-mtime --pax-option=exthdr.name=%d/PaxHeaders/%f,delete=atime,delete=ctime \
      --file="$tmp/out/rootfs.tar" $(LC_ALL=C ls -A))
  $sudo chown "$(id -u):$(id -g)" "$tmp/out/rootfs.tar"
  echo "sha256:$(sha256sum "$tmp/out/rootfs.tar" | cut -d' ' -f1)" > "$tmp/out/diff_id"
  printf 'dotnet_version=%s\naspnet_version=%s\n' "$netcore" "$aspnet" > "$tmp/out/versions"
  mv -T "$tmp/out" "$final"
  $sudo rm -rf "$tmp"
  trap - EXIT
}

# One builder at a time per cache (tests and scripts may call this concurrently); the others wait
# and find the finished tarball.
exec {lock}>"$cache/.lock"
flock "$lock"
if [ -f "$final/diff_id" ]; then
  say "cached: $final/rootfs.tar"
else
  build_tarball
  say "built: $final/rootfs.tar ($(du -m "$final/rootfs.tar" | cut -f1) MB)"
fi
flock -u "$lock"
diff_id=$(cat "$final/diff_id")

names=("localhost/dotnet/aspnet:$major_minor" "localhost/dotnet/aspnet:$aspnet"
       "localhost/dotnet/runtime:$major_minor" "localhost/dotnet/runtime:$netcore")
echo "tar=$final/rootfs.tar"
echo "diff_id=$diff_id"
echo "dotnet_version=$netcore"
echo "aspnet_version=$aspnet"
echo "image=${names[0]}"
[ "$import" = true ] || exit 0

dockerbuild_cli
[ -z "$store_root" ] || dockerbuild+=(--root "$store_root")
changes=(
  "ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
  "ENV APP_UID=1654 ASPNETCORE_HTTP_PORTS=8080 DOTNET_RUNNING_IN_CONTAINER=true"
  "ENV DOTNET_VERSION=$netcore"
  "ENV ASPNET_VERSION=$aspnet"
  'CMD ["bash"]'
)
# The label names exactly this layer and configuration, so an unchanged store is left alone.
fingerprint=$(printf '%s\n' "$diff_id" "${changes[@]}" | sha256sum | cut -d' ' -f1)
label=dev.dockerbuild.base-image
current=$("${dockerbuild[@]}" inspect "${names[0]}" 2>/dev/null \
  | python3 -c "import json,sys; print((json.load(sys.stdin)[0]['Config'].get('Labels') or {}).get('$label',''))" 2>/dev/null || true)
if [ "$current" = "$fingerprint" ]; then
  say "${names[0]} is up to date in the store"
else
  say "importing into the store as ${names[*]}"
  id=$("${dockerbuild[@]}" import -m "Debian $suite minbase + .NET $netcore (eng/base-image.sh)" \
    "${changes[@]/#/--change=}" --change="LABEL $label=$fingerprint" "$final/rootfs.tar" "${names[0]}")
  for n in "${names[@]:1}"; do "${dockerbuild[@]}" tag "$id" "$n"; done
fi

for ref in "${pushes[@]}"; do
  "${dockerbuild[@]}" tag "${names[0]}" "$ref"
  say "pushing $ref"
  "${dockerbuild[@]}" push -q "$ref" >&2
done
