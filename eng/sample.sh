#!/usr/bin/env bash
# The README's main command: publishes a sample into an image and runs it, on a machine that reaches
# no internet registry (Debian packages and NuGet only).
#
#   1. eng/install-deps.sh: runc, debootstrap, ... (apt-get, as root or with sudo);
#   2. eng/base-image.sh: the local .NET base image (Debian bookworm + this SDK's runtimes), imported
#      into the dockerbuild store as localhost/dotnet/aspnet:10.0 (cached after the first run);
#   3. packs the Dockerbuild MSBuild package into artifacts/packages (eng/pack.sh), under a version of
#      its own each run (NuGet caches packages by version), restored into a private NUGET_PACKAGES;
#   4. `dotnet publish` of the sample with that package and -p:BaseImage=localhost/dotnet/aspnet:10.0:
#      the publish builds the image from the sample's Dockerfile, RUN included, into the local store;
#   5. `dockerbuild run --rm` of the image; the web sample is started, asked with curl, and stopped.
#
# The store is $DOCKERBUILD_ROOT (default ~/.local/share/dockerbuild). With --cli, step 4 is instead
# `dotnet publish -p:EnableDockerbuild=false` (the package turned off) followed by
# `dockerbuild build --build-context publish=DIR --build-arg BASE_IMAGE=...`.
#
# Usage: eng/sample.sh [console|web] [--cli]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
# shellcheck source=eng/lib/cli.sh
source eng/lib/cli.sh

sample=console mode=package
while (($#)); do
  case "$1" in
    console|web) sample=$1; shift ;;
    --cli) mode=cli; shift ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) echo "eng/sample.sh: unknown argument: $1 (expected console, web or --cli)" >&2; exit 2 ;;
  esac
done
case "$sample" in
  console) project=ConsoleApp ;;
  web) project=WebApi ;;
esac
image=$(echo "$project" | tr '[:upper:]' '[:lower:]')   # the package's default ContainerRepository
step() { printf '\n\033[1m==> %s\033[0m\n' "$*"; }

step "Installing system packages (eng/install-deps.sh)"
bash eng/install-deps.sh

step "Local .NET base image (eng/base-image.sh)"
base=$(bash eng/base-image.sh | sed -n 's/^image=//p')
dockerbuild_cli
echo "FROM $base"

out=artifacts/samples
mkdir -p "$out"
step "Packing the Dockerbuild package into artifacts/packages (eng/pack.sh)"
version=$(bash eng/pack.sh | sed -n 's/^version=//p')
# A private package folder: each run's version is restored afresh, old ones are dropped.
export NUGET_PACKAGES=$root/$out/nuget-packages
rm -rf "$NUGET_PACKAGES/dockerbuild"

if [ "$mode" = package ]; then
  step "dotnet publish samples/$project (the publish builds the image $image:latest)"
  # At a terminal, MSBuild's terminal logger shows the image build's current step; -v:n lists them all.
  dotnet publish "samples/$project" -c Release -nologo -p:DockerbuildVersion="$version" -p:BaseImage="$base"
else
  step "dotnet publish samples/$project -p:EnableDockerbuild=false"
  dotnet publish "samples/$project" -c Release -nologo -p:DockerbuildVersion="$version" -p:EnableDockerbuild=false \
    -o "$out/$project/publish"

  step "dockerbuild build samples/$project -t $image (the publish output as the build context 'publish')"
  "${dockerbuild[@]}" build --progress=plain -t "$image" \
    --build-context publish="$out/$project/publish" --build-arg BASE_IMAGE="$base" "samples/$project"
fi

step "dockerbuild history $image (the RUN and COPY layers on the base image's)"
"${dockerbuild[@]}" history "$image"

if [ "$sample" = console ]; then
  step "dockerbuild run --rm $image Reader"
  "${dockerbuild[@]}" run --rm "$image" Reader
  exit 0
fi

# The container shares the host's network (dockerbuild run has no -p), so it listens on a free port.
port=$(free_port)
step "dockerbuild run --rm -e ASPNETCORE_HTTP_PORTS=$port $image"
log=$(mktemp)
"${dockerbuild[@]}" run --rm -e ASPNETCORE_HTTP_PORTS="$port" "$image" > "$log" 2>&1 &
app=$!
trap 'kill -TERM $app 2>/dev/null || true; wait $app 2>/dev/null || true; rm -f "$log"' EXIT
for _ in $(seq 100); do curl -fs "http://127.0.0.1:$port/" >/dev/null 2>&1 && break; sleep 0.2; done
for path in / /hello/Reader /hello/Reader; do
  echo "\$ curl http://127.0.0.1:$port$path"
  curl -fsS "http://127.0.0.1:$port$path" || { cat "$log"; exit 1; }
  echo
done
kill -TERM "$app"
wait "$app" 2>/dev/null || true
trap 'rm -f "$log"' EXIT
echo "--- the container's log:"
cat "$log"
