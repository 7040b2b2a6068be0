#!/usr/bin/env bash
# Parses and binds the whole real-world corpus (and, second, runs the build checks too) with
# BenchmarkDotNet, warm and pinned to one core; reports the time per corpus and files per second.
# Extra arguments go to BenchmarkDotNet (e.g. --job short). eng/bench/parser.sh measures parsing alone.
set -euo pipefail
cd "$(dirname "$0")/../.."
exec dotnet run -c Release --project tests/Dockerbuild.Benchmarks -- --filter '*BindCorpusBenchmark*' "$@"
