#!/usr/bin/env bash
# make bench: tms against its peers on this machine, in one run. See docs/performance.md.
#   Benchmarks/run.sh [TMS [ENVELOPE_SERVER]] [--quick]
set -euo pipefail
cd "$(dirname "$0")"
tms="$(cd .. && realpath "${1:-.build/release/tms}")"
peer="$(cd .. && realpath "${2:-.build/release/tms-envelope-server}")"
exec python3 bench.py "$tms" "$peer" "${@:3}"
