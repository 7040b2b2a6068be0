#!/usr/bin/env bash
# The one command that runs every test: installs the system packages the suite uses, builds the
# solution in Release, runs all test projects, and ends with a plain "N passed, N failed, N skipped" line.
set -uo pipefail
cd "$(dirname "$0")/.."

bash eng/install-deps.sh || { echo "eng/test.sh: installing system packages failed" >&2; exit 1; }

dotnet build Dockerbuild.sln -c Release -nologo -v quiet -clp:ErrorsOnly || { echo "0 passed, 1 failed"; echo "eng/test.sh: build failed" >&2; exit 1; }

log=$(mktemp)
trap 'rm -f "$log"' EXIT
# Tests marked InsideUserNamespace are run by another test inside a user namespace, not directly.
dotnet test --solution Dockerbuild.sln -c Release --no-build "$@" -- --filter-not-trait "InsideUserNamespace=true" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}

# dotnet test (Microsoft.Testing.Platform) prints "total/failed/succeeded/skipped"; restate them in the
# plain form CI logs and tools read.
num() { awk -v k="$1:" '$1 == k { n = $2 } END { print n + 0 }' "$log"; }
echo "$(num succeeded) passed, $(num failed) failed, $(num skipped) skipped"
exit "$status"
