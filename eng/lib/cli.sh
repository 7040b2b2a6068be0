# Shared by the eng/ scripts (sourced, not run): the dockerbuild CLI and loopback registries.
# Expects $root (the repository) to be set by the caller.

# Sets the array `dockerbuild` to the CLI: $DOCKERBUILD when set (a command, e.g. an installed tool),
# else this repository's CLI, built in Release (incremental: quick when nothing changed).
dockerbuild_cli() {
  if [ -n "${DOCKERBUILD:-}" ]; then
    read -r -a dockerbuild <<<"$DOCKERBUILD"
    return
  fi
  local bin="$root/src/Dockerbuild.Cli/bin/Release/net10.0" log
  dockerbuild=("$bin/dockerbuild")
  # MSBuild's own up-to-date check costs seconds; a stamp newer than every source needs none.
  if [ -f "$bin/.eng-built" ] && [ -z "$(find "$root/src" "$root"/Directory.* -newer "$bin/.eng-built" \
       \( -name '*.cs' -o -name '*.csproj' -o -name '*.props' -o -name '*.targets' \) -not -path '*/obj/*' -print -quit)" ]; then
    return
  fi
  log=$(mktemp)
  dotnet build "$root/src/Dockerbuild.Cli/Dockerbuild.Cli.csproj" -c Release -nologo -v quiet -tl:off -clp:ErrorsOnly > "$log" 2>&1 \
    || { cat "$log" >&2; rm -f "$log"; return 1; }
  rm -f "$log"
  touch "$bin/.eng-built"
}

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# Starts a CNCF distribution registry on a free loopback port with its data under DIR and prints
# host:port. Called as $(start_registry DIR), it runs in a subshell, so its pid goes to DIR/pid for
# stop_registry.
start_registry() { # DIR -> prints host:port
  local dir=$1 port; port=$(free_port)
  mkdir -p "$dir/data"
  cat > "$dir/config.yml" <<YML
version: 0.1
log: { level: error }
storage: { filesystem: { rootdirectory: $dir/data }, delete: { enabled: true } }
http: { addr: 127.0.0.1:$port }
YML
  docker-registry serve "$dir/config.yml" > "$dir/log" 2>&1 &
  echo $! > "$dir/pid"
  for _ in $(seq 100); do curl -fs "http://127.0.0.1:$port/v2/" >/dev/null && break; sleep 0.1; done
  curl -fs "http://127.0.0.1:$port/v2/" >/dev/null || { echo "docker-registry did not start: $(cat "$dir/log")" >&2; return 1; }
  echo "127.0.0.1:$port"
}

stop_registry() { # DIR
  [ -f "$1/pid" ] && kill "$(cat "$1/pid")" 2>/dev/null || true
}
