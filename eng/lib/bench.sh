# Shared by the eng/bench/ scripts (sourced, not run): the CLI as it ships, timing and medians.
# Expects $work (a scratch directory) to be set by the caller.

# Measured as it ships for this machine: published for its runtime, which the CLI's project compiles
# ahead of time (PublishAot), the native executable its linux-x64 tool package holds.
publish_cli() { # -> sets the array `dockerbuild`
  local rid
  case "$(uname -m)" in aarch64|arm64) rid=linux-arm64 ;; *) rid=linux-x64 ;; esac
  dotnet publish src/Dockerbuild.Cli -c Release -r "$rid" -o "$work/bin" -nologo -v quiet -clp:ErrorsOnly
  dockerbuild=("$work/bin/dockerbuild")
}

now() { date +%s.%N; }
elapsed() { python3 -c "print(f'{$2 - $1:.3f}')"; }
median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }
