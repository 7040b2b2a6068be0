# Shared by the side-by-side benchmarks: sourced after `work` (a scratch directory) and `pids` (an
# array) are set. Registries started here are killed by the caller's cleanup through $pids.

# Measured as it ships for this machine: published for its runtime, so precompiled (ReadyToRun).
publish_cli() { # -> sets dockerbuild=(path)
  local rid
  case "$(uname -m)" in aarch64|arm64) rid=linux-arm64 ;; *) rid=linux-x64 ;; esac
  dotnet publish src/Dockerbuild.Cli -c Release -r "$rid" --self-contained false -o "$work/bin" -nologo -v quiet -clp:ErrorsOnly
  dockerbuild=("$work/bin/dockerbuild")
}

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# Not meant for $(...): the registry's pid must reach $pids in this shell.
start_registry() { # name -> sets $registry to host:port
  local name=$1 port; port=$(free_port)
  mkdir -p "$work/$name/data"
  cat > "$work/$name/config.yml" <<YML
version: 0.1
log: { level: error }
storage: { filesystem: { rootdirectory: $work/$name/data }, delete: { enabled: true } }
http: { addr: 127.0.0.1:$port }
YML
  docker-registry serve "$work/$name/config.yml" > "$work/$name/log" 2>&1 &
  pids+=($!)
  for _ in $(seq 100); do curl -fs "http://127.0.0.1:$port/v2/" >/dev/null && break; sleep 0.1; done
  registry=127.0.0.1:$port
}

now() { date +%s.%N; }
elapsed() { python3 -c "print(f'{$2 - $1:.3f}')"; }
median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }
