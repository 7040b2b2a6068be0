#!/usr/bin/env bash
# Parses the whole real-world corpus (../shared/conformance/realworld) with BenchmarkDotNet, warm and
# pinned to one core, and reports the time per corpus and files per second. Extra arguments go to
# BenchmarkDotNet (e.g. --job short).
set -euo pipefail
cd "$(dirname "$0")/../.."
exec dotnet run -c Release --project tests/Dockerbuild.Benchmarks -- --filter '*ParserBenchmarks*' "$@"
