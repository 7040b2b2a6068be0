#!/usr/bin/env bash
# Packs the `Dockerbuild` MSBuild package (src/Dockerbuild.Tasks) into a local NuGet feed, for the
# samples, the benchmarks and anyone trying it before it is published.
#
# Every pack gets a version no earlier pack had (default 0.1.0-dev.<UTC yyyyMMddHHmmss>): NuGet
# never refreshes a version it has cached under ~/.nuget/packages, so reusing one would restore a
# stale package. Consume it with a nuget.config that adds the feed, for example
#
#   <packageSources><add key="dockerbuild" value="/path/to/artifacts/packages" /></packageSources>
#   <packageSourceMapping> ... <package pattern="Dockerbuild" /> under that source ...
#
# and <PackageReference Include="Dockerbuild" Version="$(DockerbuildVersion)" />, passing
# -p:DockerbuildVersion=<version> to dotnet publish (restore sees it too).
#
# stdout: feed=DIR and version=VERSION lines, for scripts. Progress goes to stderr.
# Usage: eng/pack.sh [--output DIR] [--version VERSION]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)

output="$root/artifacts/packages"
version="0.1.0-dev.$(date -u +%Y%m%d%H%M%S)"
while (($#)); do
  case "$1" in
    --output) output=$2; shift 2 ;;
    --version) version=$2; shift 2 ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) echo "eng/pack.sh: unknown option: $1" >&2; exit 2 ;;
  esac
done

mkdir -p "$output"
output=$(cd "$output" && pwd)
log=$(mktemp)
trap 'rm -f "$log"' EXIT
echo "pack: Dockerbuild $version -> $output" >&2
# ReadyToRun: the task assemblies ship precompiled for linux-x64, as the SDK's container tasks do.
dotnet pack "$root/src/Dockerbuild.Tasks/Dockerbuild.Tasks.csproj" -c Release -o "$output" -p:Version="$version" -p:DockerbuildReadyToRun=true \
  -nologo -v quiet -tl:off -clp:ErrorsOnly -nodeReuse:false > "$log" 2>&1 \
  || { cat "$log" >&2; echo "eng/pack.sh: dotnet pack failed" >&2; exit 1; }
[ -f "$output/Dockerbuild.$version.nupkg" ] || { echo "eng/pack.sh: no Dockerbuild.$version.nupkg was written" >&2; exit 1; }
echo "feed=$output"
echo "version=$version"
