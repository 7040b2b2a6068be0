#!/usr/bin/env bash
# Incremental `dotnet publish` into an image pushed to a loopback registry, side by side in one run:
#   ours:    the Dockerbuild package; `dotnet publish` builds the project's Dockerfile and pushes
#   the SDK: the .NET SDK's own `dotnet publish -t:PublishContainer`
# Both start from the same base image in the same registry (eng/base-image.sh's local .NET image,
# pushed there), publish the same ASP.NET Core app, framework-dependent for linux-x64, and push to
# that registry. The Dockerfile has its RUN before `COPY --from=publish`, so after a change both
# tools do comparable work: compile and publish, one new app layer, a config and a manifest pushed.
#
# Each run changes one source line in both projects (the same line) and publishes each, alternating
# which goes first; medians are reported with the ratio ours/SDK (goal: at most 1.0), and the same for
# the image part alone (MSBuild's own target times: ours DockerfileCheck + DockerBuild, the SDK's
# PublishContainer), which compile and publish times, shared and noisy, do not blur. Then a publish
# of ours with no change at all, beside a plain publish with the package disabled: the image build is
# skipped, so the two take about the same time.
#
# With --cli (or before the package exists), ours is `dotnet publish` followed by the dockerbuild CLI
# (`dockerbuild build --push --build-context publish=DIR`), published for this machine (Native AOT).
#
# Ours is packed by eng/pack.sh, as it ships (task assemblies ReadyToRun-compiled, the image build in
# the native host, Dockerbuild.Publish.Host, compiled ahead of time).
# --keep leaves the projects, feed and store in the work directory (the registry is stopped).
#
# Usage: eng/bench/publish.sh [--runs N] [--cli] [--keep]
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$PWD

runs=5 mode=package keep=false
while (($#)); do
  case "$1" in
    --runs) runs=$2; shift 2 ;;
    --keep) keep=true; shift ;;
    --cli) mode=cli; shift ;;
    *) echo "unknown option: $1" >&2; exit 2 ;;
  esac
done
tasks_project=src/Dockerbuild.Tasks/Dockerbuild.Tasks.csproj
[ -f "$tasks_project" ] || mode=cli

bash eng/install-deps.sh
# shellcheck source=eng/lib/cli.sh
source eng/lib/cli.sh
# shellcheck source=eng/lib/bench.sh
source eng/lib/bench.sh
work=$(mktemp -d /var/tmp/dockerbuild-bench.XXXXXX)
cleanup() { stop_registry "$work/registry"; [ "$keep" = true ] && echo "kept $work" || rm -rf "$work"; }
trap cleanup EXIT
quiet=(-nologo -tl:off -v quiet -clp:ErrorsOnly)
logged() { "$@" > "$work/last.log" 2>&1 || { cat "$work/last.log" >&2; return 1; }; }
# MSBuild's per-target times (a file logger's summary), to tell the image part from compile and publish.
perf=(-flp:"LogFile=$work/perf.log;Verbosity=quiet;PerformanceSummary")
image_seconds() { # the image targets of the last publish: ours DockerBuild + DockerfileCheck, the SDK's PublishContainer
  awk '/Target Performance Summary/ { t = 1 } /Task Performance Summary/ { t = 0 }
       t && $2 == "ms" && ($3 == "DockerBuild" || $3 == "DockerfileCheck" || $3 == "PublishContainer") { s += $1 }
       END { printf "%.3f", s / 1000 }' "$work/perf.log"
}

R=$(start_registry "$work/registry")
base=$R/dotnet/aspnet:10.0
export DOCKERBUILD_ROOT=$work/store NUGET_PACKAGES=$work/nuget-packages
# The SDK talks plain HTTP only to registries it is told are insecure (localhost by name aside).
export DOTNET_CONTAINER_INSECURE_REGISTRIES=$R SDK_CONTAINER_INSECURE_REGISTRIES=$R
echo "Registry $R; base image $base (eng/base-image.sh)"
bash eng/base-image.sh --root "$DOCKERBUILD_ROOT" --push "$base" >/dev/null

# Two copies of one app: a string literal is the line each run changes.
make_project() { # DIR EXTRA-CSPROJ-XML
  mkdir -p "$1"
  cp samples/WebApi/appsettings.json "$1/"
  sed 's|TypedResults.Text("Hello from a Dockerbuild image!")|TypedResults.Text(Build.Stamp)|' samples/WebApi/Program.cs > "$1/Program.cs"
  echo 'internal static class Build { public const string Stamp = "warm-up"; }' > "$1/Stamp.cs"
  cat > "$1/App.csproj" <<XML
<Project Sdk="Microsoft.NET.Sdk.Web">
  <PropertyGroup>
    <TargetFramework>net10.0</TargetFramework>
    <Nullable>enable</Nullable>
    <ImplicitUsings>enable</ImplicitUsings>
    <RuntimeIdentifier>linux-x64</RuntimeIdentifier>
    <SelfContained>false</SelfContained>
    <ContainerRegistry>$R</ContainerRegistry>
  </PropertyGroup>
$2
</Project>
XML
}
make_project "$work/sdk" "  <PropertyGroup>
    <ContainerRepository>sdk-app</ContainerRepository>
    <ContainerBaseImage>$base</ContainerBaseImage>
  </PropertyGroup>"
make_project "$work/ours" "  <PropertyGroup>
    <ContainerRepository>ours-app</ContainerRepository>
  </PropertyGroup>"
cat > "$work/ours/Dockerfile" <<DOCKERFILE
FROM $base
RUN mkdir -p /var/lib/app && chown "\$APP_UID:\$APP_UID" /var/lib/app
WORKDIR /app
COPY --from=publish / /app/
USER \$APP_UID
ENTRYPOINT ["dotnet", "App.dll"]
DOCKERFILE

if [ "$mode" = package ]; then
  version=$(bash eng/pack.sh --output "$work/feed" --version "0.0.0-bench.$(date -u +%Y%m%d%H%M%S)" | sed -n 's/^version=//p')
  sed -i "s|^</Project>|  <ItemGroup><PackageReference Include=\"Dockerbuild\" Version=\"$version\" /></ItemGroup>\n</Project>|" "$work/ours/App.csproj"
  # The samples' nuget.config, with this run's feed.
  sed "s|\.\./artifacts/packages|$work/feed|" samples/nuget.config > "$work/nuget.config"
  ours() { logged dotnet publish "$work/ours" -c Release "${quiet[@]}" "${perf[@]}" "$@"; }
  echo "Ours: the Dockerbuild package $version (eng/pack.sh)"
else
  publish_cli
  ours() {
    logged dotnet publish "$work/ours" -c Release "${quiet[@]}" -o "$work/ours-publish" "$@" &&
      logged "${dockerbuild[@]}" build -q --push -t "$R/ours-app:latest" --build-context publish="$work/ours-publish" "$work/ours"
  }
  echo "Ours: dotnet publish + the dockerbuild CLI (no package yet, or --cli)"
fi
sdk() { logged dotnet publish "$work/sdk" -c Release "${quiet[@]}" "${perf[@]}" -t:PublishContainer "$@"; }

digest() { # REPOSITORY -> the manifest digest of :latest in the registry
  curl -fsSI -H 'Accept: application/vnd.oci.image.manifest.v1+json, application/vnd.docker.distribution.manifest.v2+json' \
    "http://$R/v2/$1/manifests/latest" | tr -d '\r' | awk -F': ' 'tolower($1) == "docker-content-digest" { print $2 }'
}
stamp() { # TEXT: the changed line, the same in both projects
  for p in ours sdk; do echo "internal static class Build { public const string Stamp = \"$1\"; }" > "$work/$p/Stamp.cs"; done
}

echo "Warm-up: first publish of each (restore, full build, base image pulled by the SDK)"
ours; sdk
ours_times=() sdk_times=() ours_image=() sdk_image=()
for r in $(seq "$runs"); do
  stamp "run $r"
  before_ours=$(digest ours-app) before_sdk=$(digest sdk-app)
  if ((r % 2)); then order=(ours sdk); else order=(sdk ours); fi
  for side in "${order[@]}"; do
    t0=$(now); "$side"; t1=$(now)
    if [ "$side" = ours ]; then
      ours_times+=("$(elapsed "$t0" "$t1")") ours_image+=("$(image_seconds)")
    else
      sdk_times+=("$(elapsed "$t0" "$t1")") sdk_image+=("$(image_seconds)")
    fi
  done
  # Both must really have pushed a new image.
  [ "$(digest ours-app)" != "$before_ours" ] || { echo "ours did not push a new image in run $r" >&2; exit 1; }
  [ "$(digest sdk-app)" != "$before_sdk" ] || { echo "the SDK did not push a new image in run $r" >&2; exit 1; }
  echo "run $r (${order[*]}): ours ${ours_times[-1]}s (image ${ours_image[-1]}s)  SDK ${sdk_times[-1]}s (image ${sdk_image[-1]}s)"
done

# No change: ours again against a plain publish of the same project with the image build disabled.
unchanged=() plain=()
before=$(digest ours-app)
for r in $(seq "$runs"); do
  t0=$(now); ours; t1=$(now); unchanged+=("$(elapsed "$t0" "$t1")")
  if [ "$mode" = package ]; then
    t0=$(now); ours -p:EnableDockerbuild=false; t1=$(now); plain+=("$(elapsed "$t0" "$t1")")
  fi
done
[ "$(digest ours-app)" = "$before" ] || { echo "a publish with no change pushed a different image" >&2; exit 1; }

o=$(median "${ours_times[@]}") s=$(median "${sdk_times[@]}")
echo
echo "Incremental publish (one line changed) + image push, median of $runs runs:"
printf '  ours %7.3fs  SDK PublishContainer %7.3fs  ratio %.2f\n' "$o" "$s" "$(python3 -c "print($o/$s)")"
if [ "$mode" = package ]; then
  oi=$(median "${ours_image[@]}") si=$(median "${sdk_image[@]}")
  printf '  the image part alone (MSBuild target times; ours DockerBuild + DockerfileCheck, the SDK PublishContainer):\n'
  printf '  ours %7.3fs  SDK PublishContainer %7.3fs  ratio %.2f\n' "$oi" "$si" "$(python3 -c "print($oi/$si)")"
fi
if ((${#plain[@]})); then
  printf 'No change: ours %.3fs, plain publish without the image %.3fs (the image build is skipped)\n' \
    "$(median "${unchanged[@]}")" "$(median "${plain[@]}")"
else
  printf 'No change: ours %.3fs (dotnet publish + a fully cached dockerbuild build)\n' "$(median "${unchanged[@]}")"
fi
