#!/usr/bin/env bash
# make fuzz SECONDS=N: builds the libFuzzer targets (a second, instrumented build in
# .build-fuzz) and runs each for N seconds on a corpus seeded from the examples, the script
# tests, the bad-input corpus and the sandbox's request shapes. A crash stops with the
# reproducer saved under Fuzz/crashes/ (turn it into a regression test), and exit 1.
# Figures (build time, runs per target) are printed and appended to .build-fuzz/figures.txt.
set -uo pipefail
cd "$(dirname "$0")/.."
SECONDS_EACH=${1:-60}
TARGETS=${FUZZ_TARGETS:-"FuzzLanguage FuzzSandbox FuzzJSON FuzzCSV"}
SCRATCH=.build-fuzz
CORPUS=$SCRATCH/corpus
mkdir -p "$CORPUS" Fuzz/crashes

start=$(date +%s)
for t in $TARGETS; do
    TMS_FUZZ=1 swift build --sanitize=fuzzer --scratch-path "$SCRATCH" --product "$t" >"$SCRATCH/build-$t.log" 2>&1 || {
        tail -30 "$SCRATCH/build-$t.log"; echo "fuzz build of $t failed"; exit 1; }
done
built=$(( $(date +%s) - start ))
echo "fuzz build: ${built} s"
BIN=$(TMS_FUZZ=1 swift build --sanitize=fuzzer --scratch-path "$SCRATCH" --show-bin-path 2>/dev/null)

seed() {  # seed TARGET: the starting corpus, once
    local dir=$CORPUS/$1
    [ -d "$dir" ] && return
    mkdir -p "$dir"
    case $1 in
    FuzzLanguage)
        find examples Tests/Scripts Fuzz/seeds/language -name '*.tms' 2>/dev/null | while read -r f; do
            cp "$f" "$dir/$(echo "$f" | tr / _)"; done ;;
    FuzzSandbox)
        cp Fuzz/seeds/sandbox/* "$dir/" ;;
    FuzzJSON)
        cp Fuzz/seeds/json/* "$dir/"
        find Tests -name '*.json' -size -64k | head -50 | while read -r f; do cp "$f" "$dir/$(echo "$f" | tr / _)"; done ;;
    FuzzCSV)
        cp Fuzz/seeds/csv/* "$dir/" ;;
    esac
}

status=0
for t in $TARGETS; do
    seed "$t"
    log=$SCRATCH/run-$t.log
    "$BIN/$t" "$CORPUS/$t" -max_total_time="$SECONDS_EACH" -timeout=10 -rss_limit_mb=3072 -max_len=4096 \
        -artifact_prefix=Fuzz/crashes/"$t"- -print_final_stats=1 >"$log" 2>&1
    rc=$?
    runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' || echo 0)
    echo "$t: ${SECONDS_EACH} s, ${runs:-0} executions, exit $rc"
    echo "$(date -u +%FT%TZ) $t seconds=$SECONDS_EACH executions=${runs:-0} exit=$rc build=${built}s" >>"$SCRATCH/figures.txt"
    if [ "$rc" != 0 ]; then
        grep -E 'ERROR|Fatal|panic|crash-|timeout-|oom-' "$log" | head -20
        status=1
    fi
done
exit $status
