#!/usr/bin/env bash
# Parse, parse+bind and parse+bind+check of the 1,191-file real-world corpus on one core.
# Op/s is files per second; Mean x 1,191 is the time for the whole corpus (target: under 1 s warm).
set -euo pipefail
cd "$(dirname "$0")/../.."
dotnet run -c Release --project tests/Dockerbuild.Benchmarks -- --filter '*BindCorpusBenchmark*' "$@"
