#!/usr/bin/env bash
# make bench: tms against its peer (jq) on this machine, in one run. See docs/performance.md.
set -euo pipefail
cd "$(dirname "$0")"
tms="$(cd .. && realpath "${1:-.build/release/tms}")"
exec python3 bench.py "$tms"
