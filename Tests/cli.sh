#!/usr/bin/env bash
# End-to-end checks of the tms binary: exit codes, what goes to stdout and stderr, data on stdin,
# script files, param blocks, files, colour.
#
#   Tests/cli.sh PATH_TO_TMS        e.g. Tests/cli.sh .build/debug/tms
#
# Prints one line per check and, last, "N passed, M failed"; exits 1 when a check failed.
# Every run of tms gets stdin from a file or /dev/null, 20 seconds and 1 GB of memory, so a tms
# that hangs or loops fails its check instead of stopping the script.

set -u

if [ $# -ne 1 ] || [ ! -x "$1" ]; then
    echo "usage: $0 PATH_TO_TMS" >&2
    exit 2
fi
TMS="$(cd "$(dirname "$1")" && pwd)/$(basename "$1")"
BIN_DIR="$(dirname "$TMS")"
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
WORK="$(mktemp -d "${TMPDIR:-/tmp}/tms-cli.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT
unset NO_COLOR
export TERM=xterm
# A crash is reported in one line here; Swift's backtrace would bury the summary.
export SWIFT_BACKTRACE=enable=no

PASSED=0
FAILED=0
ESC=$'\033'

pass() {
    PASSED=$((PASSED + 1))
    echo "ok    $1"
}

# fail NAME [DETAIL]: DETAIL is shown indented under the check, cut to a few lines.
fail() {
    FAILED=$((FAILED + 1))
    echo "FAIL  $1"
    if [ -n "${2-}" ]; then
        printf '%s\n' "$2" | head -n 12 | cut -c1-300 | sed 's/^/      | /'
    fi
}

# run INPUT [ARGS...]: runs tms in $WORK/cwd (or $RUN_DIR) with stdin from the file INPUT;
# sets RC, OUT and ERR.
run() {
    local input=$1
    shift
    # The braces keep bash's own "Segmentation fault" notice off the terminal; describe says it.
    {
        (
            cd "${RUN_DIR:-$WORK/cwd}" || exit 99
            ulimit -v 1000000 2>/dev/null
            exec timeout 20 "$TMS" "$@"
        ) <"$input" >"$WORK/stdout" 2>"$WORK/stderr"
    } 2>/dev/null
    RC=$?
    OUT="$(cat "$WORK/stdout")"
    ERR="$(cat "$WORK/stderr")"
}

# data TEXT: writes TEXT to a file and prints its path, for use as stdin.
data() {
    local f
    f="$(mktemp "$WORK/stdin.XXXXXX")"
    printf '%s' "$1" >"$f"
    echo "$f"
}

describe() {
    case $RC in
        124) echo "timed out after 20 s (a hang?)" ;;
        13[4-9])
            if [[ "$ERR" == *"failed to allocate"* ]]; then
                echo "crashed (exit $RC) out of memory past the 1 GB limit: a loop that keeps allocating?"
            else
                echo "crashed (exit $RC, signal $((RC - 128)))"
            fi
            ;;
        *) echo "exit $RC" ;;
    esac
    [ -n "$OUT" ] && printf 'stdout: %s\n' "$OUT"
    [ -n "$ERR" ] && printf 'stderr: %s\n' "$ERR"
}

# expect NAME CODE [STDOUT]: the last run exited CODE and, when given, printed exactly STDOUT.
expect() {
    local name=$1 code=$2
    if [ "$RC" != "$code" ]; then
        fail "$name" "expected exit $code; got $(describe)"
    elif [ $# -ge 3 ] && [ "$OUT" != "$3" ]; then
        fail "$name" "expected stdout: $3
got: $(describe)"
    else
        pass "$name"
    fi
}

# expect_err NAME CODE TEXT: exited CODE, TEXT on stderr, nothing on stdout.
expect_err() {
    local name=$1 code=$2 text=$3
    if [ "$RC" != "$code" ]; then
        fail "$name" "expected exit $code; got $(describe)"
    elif [[ "$ERR" != *"$text"* ]]; then
        fail "$name" "expected stderr to contain: $text
got: $(describe)"
    elif [ -n "$OUT" ]; then
        fail "$name" "expected nothing on stdout; got: $(describe)"
    else
        pass "$name"
    fi
}

mkdir -p "$WORK/cwd"
NULL=/dev/null

# --- The bad-input corpus: each file exits 2, nothing runs, every expected error is reported
# at its place, as "--> FILE:L:C", and no other error is.
for file in "$ROOT"/Tests/Scripts/bad/*.tms; do
    rel="Tests/Scripts/bad/$(basename "$file")"
    RUN_DIR="$ROOT" run "$NULL" "$rel"
    name="bad: $rel"
    if [ "$RC" != 2 ]; then
        fail "$name" "expected exit 2; got $(describe)"
        continue
    fi
    problem=""
    while IFS= read -r line; do
        spec="${line#*# expect error }"
        location="${spec%%: *}"
        message="${spec#*: }"
        if [[ "$ERR" != *"--> $rel:$location"$'\n'* ]]; then
            problem+="no '--> $rel:$location' on stderr"$'\n'
        elif [[ "$ERR" != *"]: $message"$'\n'* ]]; then
            problem+="no 'error[...]: $message' on stderr"$'\n'
        fi
    done < <(grep -a '# expect error ' "$file")
    expected=$(grep -ca '# expect error ' "$file")
    reported=$(printf '%s\n' "$ERR" | grep -c '^error')
    if [ "$expected" = 0 ]; then
        problem="the file has no '# expect error' line"
    elif [ "$reported" != "$expected" ]; then
        problem+="$reported errors reported, $expected expected"$'\n'
    fi
    if [ -n "$OUT" ]; then
        problem+="something ran: stdout is $OUT"
    fi
    if [ -n "$problem" ]; then
        fail "$name" "$problem$(describe)"
    else
        pass "$name"
    fi
done

# --- One-liners
run "$NULL" -c '1 + 2'
expect "-c '1 + 2' prints 3" 0 "3"

run "$NULL" -c 'echo "a b"; echo c'
expect "-c runs every statement of the line" 0 "a b
c"

# --- Data on stdin becomes $in and the input of the first stage
run "$(data '[{"a":1},{"a":2}]')" -c 'count'
expect "a piped JSON array is the first stage's input" 0 "2"

run "$(data '[{"a":1},{"a":2}]')" -c '$in | count'
expect "a piped JSON array is \$in" 0 "2"

run "$(data $'{"a":1}\n{"a":2}\n{"a":3}\n')" -c 'count'
expect "piped JSON lines are the first stage's input" 0 "3"

run "$(data $'{"a":1}\n{"a":2}\n{"a":3}\n')" -c '$in | where a >= 2 | count'
expect "piped JSON lines are \$in, with numbers as numbers" 0 "2"

run "$(data $'a,b\n1,x\n3,y\n')" -c 'count'
expect "piped CSV is the first stage's input" 0 "2"

run "$(data $'a,b\n1,x\n3,y\n')" --output jsonl -c '$in | where a == 3'
expect "piped CSV is \$in, with a header row and typed cells" 0 '{"a":3,"b":"y"}'

run "$(data '{bad')" -c 'count'
expect_err "invalid JSON on stdin exits 1 and names stdin" 1 "stdin"

run "$(data '{bad')" -c 'count'
expect_err "invalid JSON on stdin says where the bad character is" 1 "at line 1, column 2"

# --- Output formats
run "$NULL" --output json -c '[{a: 1, b: "x"}, {a: 2, b: "y"}]'
expect "--output json" 0 '[
  {
    "a": 1,
    "b": "x"
  },
  {
    "a": 2,
    "b": "y"
  }
]'

run "$NULL" --output jsonl -c '[{a: 1, b: "x"}, {a: 2, b: "y"}]'
expect "--output jsonl" 0 '{"a":1,"b":"x"}
{"a":2,"b":"y"}'

run "$NULL" --output csv -c '[{a: 1, b: "x,y"}, {a: 2, b: "z"}]'
expect "--output csv (a comma in a cell is quoted)" 0 'a,b
1,"x,y"
2,z'

run "$NULL" --output xml -c '1'
expect_err "--output xml exits 2 naming the formats" 2 "jsonl"

run "$NULL" --output json -c '1 + x'
expect_err "--output json also writes an uncaught error to stderr as JSON" 1 '{"error":{"code":"E0201"'
run "$NULL" --sandbox :memory: --output json -c 'get sto 402934299065'
expect_err "--output json writes an API error as catch sees it: the meta code, type and endpoint" 5 '{"error":{"code":4017,"message":"tracking does not exist (API 4017)","type":"Bad Request","endpoint":"GET /trackings/{carrier_code}/{tracking_number}","file":"<command line>","line":1,"column":1,'

# --- Flags
run "$NULL" --version
if [ "$RC" = 0 ] && [[ "$OUT" == *tms* ]]; then pass "--version exits 0 and prints the version"; else fail "--version exits 0 and prints the version" "$(describe)"; fi

run "$NULL" --help
if [ "$RC" = 0 ] && [[ "$OUT$ERR" == *-c* ]]; then pass "--help exits 0 and shows the usage"; else fail "--help exits 0 and shows the usage" "$(describe)"; fi

run "$NULL" --bogus
expect_err "an unknown flag exits 2 and names it" 2 "--bogus"

run "$NULL" --bogus -c 1
expect_err "an unknown flag before -c exits 2 and names it" 2 "--bogus"

run "$NULL" -c
expect_err "-c without a pipeline exits 2" 2 "-c"

run "$NULL" no-such-script.tms
expect_err "a missing script file exits 2 and names it" 2 "no-such-script.tms"

# --- The start-up fast path (TMSCommand+FastParse.swift) parses common command lines without
# swift-argument-parser; each line here is run that way and with TMS_ARGUMENT_PARSER=full
# (ArgumentParser only): the same exit code, stdout and stderr, `config explain` included
# (the Configuration both paths give).
printf 'param (n: int = 2)\necho ($n * 3)\n' >"$WORK/cwd/times.tms"
same_parse() {
    run "$NULL" "$@"
    local fast_rc=$RC fast_out=$OUT fast_err=$ERR
    TMS_ARGUMENT_PARSER=full run "$NULL" "$@"
    if [ "$fast_rc" = "$RC" ] && [ "$fast_out" = "$OUT" ] && [ "$fast_err" = "$ERR" ]; then
        pass "fast and full argument parsing agree: $*"
    else
        fail "fast and full argument parsing agree: $*" "fast: exit $fast_rc, stdout: $fast_out, stderr: $fast_err
full: $(describe)"
    fi
}
# A new option of TMSCommand must be set by the fast path too (reading an unset one stops tms).
missing=""
options=0
for option in $(grep -A1 -E '^ *@(Option|Flag|ArgumentParser\.Argument)' "$ROOT/Sources/tms/TMSCommand.swift" | sed -n -E 's/^ *var ([A-Za-z]+).*/\1/p'); do
    options=$((options + 1))
    grep -q "c\.$option = " "$ROOT/Sources/tms/TMSCommand+FastParse.swift" || missing+=" $option"
done
if [ -z "$missing" ] && [ "$options" -ge 20 ]; then
    pass "the fast path sets every option of TMSCommand"
else
    fail "the fast path sets every option of TMSCommand" "$options options; not set:$missing"
fi
same_parse -c '1 + 2'
same_parse --sandbox :memory: --in-flight 8 config explain
same_parse --in-flight 0 -c 1
same_parse --in-flight many -c 1
same_parse --sandbox :memory: --output json -c '[{a: 1}] | count'
same_parse --sandbox :memory: --output csv --no-color --yes -X --no-pager --trace -c '[{a: 1}]'
same_parse --sandbox :memory: --trace=full --output jsonl -c '[{a: 1}]'
same_parse --sandbox :memory: times.tms --n 5
same_parse --sandbox :memory: times.tms --help
same_parse --sandbox :memory: -c 1 extra
same_parse --sandbox :memory: --rate 2.5 --read-only --no-color --output csv config explain
same_parse --endpoint http://127.0.0.1:9/v2 --dry-run --failed-items /tmp config explain
same_parse --live --api-key-stdin config explain
same_parse --profile nope -c 1
same_parse --output JSON -c 1
same_parse --output=json -c 1
same_parse --rate 0 -c 1
same_parse --rate fast -c 1
same_parse --rate 1 --dry-run --read-only -c 1
same_parse --live --endpoint http://127.0.0.1:9/v2 -c 1
same_parse --endpoint http://127.0.0.1:9/v2 --sandbox :memory: -c 1
same_parse --api-key secret -c 1
same_parse -c 1 -c 2
same_parse --live --live -c 1
same_parse -c -1
same_parse -c ''
same_parse -c
same_parse -Xc 1
same_parse --bogus -c 1
same_parse --version
same_parse -h

# --- Which backend is which: explain names it and shows the live API's form of each request
# (explain sends no write, so no server needs to listen at the endpoint).
run "$NULL" --endpoint http://127.0.0.1:8080/v2 -c 'explain create sto 402934299065'
if [ "$RC" = 0 ] && [[ "$OUT" == *"(the server at http://127.0.0.1:8080/v2)"* ]] && [[ "$OUT" == *"POST http://127.0.0.1:8080/v2/trackings/post"* ]] \
    && [[ "$OUT" != *"built-in sandbox"* ]] && [[ "$OUT" == *"live API: POST https://api.trackingmore.com/v2/trackings/post"* ]]; then
    pass "explain on --endpoint names that server, not the sandbox, and shows the live form"
else
    fail "explain on --endpoint names that server, not the sandbox, and shows the live form" "$(describe)"
fi
# A server that is not there (nothing listens on 127.0.0.1:9): said in plain words, no errno text.
TRACKINGMORE_API_KEY=cli-test-key-0001 run "$NULL" --endpoint http://127.0.0.1:9/v2 -c 'list | count'
if [ "$RC" = 6 ] && [[ "$ERR" == *"127.0.0.1:9 cannot be reached: it refused the connection (is the server running?)"* ]] && [[ "$ERR" != *errno* ]]; then
    pass "a refused connection says the server cannot be reached and asks whether it runs (exit 6)"
else
    fail "a refused connection says the server cannot be reached and asks whether it runs (exit 6)" "$(describe)"
fi
run "$NULL" --sandbox :memory: -c 'explain create sto 402934299065'
if [ "$RC" = 0 ] && [[ "$OUT" == *"(the built-in sandbox"* ]] && [[ "$OUT" == *"live API: POST https://api.trackingmore.com/v2/trackings/post"* ]]; then
    pass "explain in the built-in sandbox says so and shows the live form"
else
    fail "explain in the built-in sandbox says so and shows the live form" "$(describe)"
fi

# --- Errors and exit codes
run "$NULL" -c '[1] | where $it == x'
expect_err "a runtime error exits 1, on stderr only" 1 "cannot compare"

run "$NULL" -c '[1] | where $it == x'
expect_err "a runtime error points at its span" 1 "--> <command line>:1:13"

run "$NULL" -c 'echo before; 1 + x'
if [ "$RC" = 1 ] && [ "$OUT" = before ] && [[ "$ERR" == *"<command line>:1:14"* ]]; then
    pass "a runtime error keeps what ran before it on stdout"
else
    fail "a runtime error keeps what ran before it on stdout" "$(describe)"
fi

run "$NULL" -c 'echo before; cuont'
expect_err "a check error exits 2 and nothing runs" 2 "unknown verb 'cuont'"

run "$NULL" -c 'assert 1 == 2 "one is not two"'
expect_err "a failed assert exits 1" 1 "one is not two"

run "$NULL" -c 'exit 3'
expect "exit 3 exits 3" 3 ""

run "$NULL" -c 'echo a; exit 0; echo b'
expect "exit 0 stops the script" 0 "a"

# --- A script on stdin
run "$(data 'echo hi')"
expect "a script read from stdin" 0 "hi"

run "$(data $'let x = 2\necho ($x * 21)\n')"
expect "a script of several lines read from stdin" 0 "42"

run "$(data $'echo ok\necho (\n')"
expect_err "a parse error in a script on stdin exits 2 and names <stdin>" 2 "--> <stdin>:"

# --- Script files, shebang, $args
cat >"$WORK/cwd/hello.tms" <<'EOF'
#!/usr/bin/env tms
echo "hello $args.0 and $args.1"
EOF
chmod +x "$WORK/cwd/hello.tms"
run "$NULL" hello.tms ana bo
expect "a script file gets its arguments in \$args" 0 "hello ana and bo"

(
    cd "$WORK/cwd" || exit 99
    PATH="$BIN_DIR:$PATH" exec timeout 20 ./hello.tms ana bo
) </dev/null >"$WORK/stdout" 2>"$WORK/stderr"
RC=$?
OUT="$(cat "$WORK/stdout")"
ERR="$(cat "$WORK/stderr")"
if [ "$RC" = 0 ] && [ "$OUT" = "hello ana and bo" ]; then
    pass "an executable script with #!/usr/bin/env tms runs directly"
else
    fail "an executable script with #!/usr/bin/env tms runs directly" "$(describe)"
fi

# --- param blocks
cat >"$WORK/cwd/report.tms" <<'EOF'
param {
  days: int = 1            # look-back window in days
  out: string = "ex.csv"   # where to write the report
  who: string              # who asked for it
}
echo "days=$days out=$out who=$who"
EOF

run "$NULL" report.tms --help
if [ "$RC" = 0 ] && [[ "$OUT" == *--days* ]] && [[ "$OUT" == *"look-back window in days"* ]] \
    && [[ "$OUT" == *--out* ]] && [[ "$OUT" == *"where to write the report"* ]] && [[ "$OUT" == *--who* ]]; then
    pass "script --help lists the parameters with their comments"
else
    fail "script --help lists the parameters with their comments" "$(describe)"
fi

run "$NULL" report.tms --days 3 --who ana
expect "--days 3 binds the parameter; defaults fill the rest" 0 "days=3 out=ex.csv who=ana"

run "$NULL" report.tms --who=ana --days=5
expect "--name=value binds too" 0 "days=5 out=ex.csv who=ana"

run "$NULL" report.tms --days x --who ana
expect_err "a parameter of the wrong type exits 2" 2 "--days"

run "$NULL" report.tms --who ana --foo 1
expect_err "an unknown parameter exits 2" 2 "--foo"

run "$NULL" report.tms --days 3
expect_err "a missing required parameter exits 2" 2 "--who"

cat >"$WORK/cwd/broken-param.tms" <<'EOF'
param {
  days: int = 1   # look-back window in days
}
cuont
EOF
run "$NULL" broken-param.tms --days 2
expect_err "a script with a check error exits 2 before its arguments are bound" 2 "unknown verb 'cuont'"

# --- save and open
for format in json jsonl csv; do
    run "$NULL" -c "[{a: 1, b: \"x,y\"}, {a: 2, b: \"z\"}] | save t.$format"
    if [ "$RC" != 0 ] || [ ! -s "$WORK/cwd/t.$format" ]; then
        fail "save t.$format" "$(describe)"
        continue
    fi
    run "$NULL" --output jsonl -c "open t.$format"
    expect "save then open t.$format gives the same records" 0 '{"a":1,"b":"x,y"}
{"a":2,"b":"z"}'
done

run "$NULL" -c 'open no-such-file.json'
expect_err "open of a missing file exits 1 naming the file" 1 "no-such-file.json"

# open reads a file a chunk at a time as the pipeline pulls: the peak memory of a pipeline
# over a 48 MB file stays near that of `tms -c 1` (GNU time's maximum resident size).
python3 -c '
import sys
with open(sys.argv[1], "w") as f:
    f.write("[")
    for i in range(24000):
        f.write(("," if i else "") + "{\"n\": %d, \"status\": \"%s\", \"note\": \"%s\"}\n" % (i, "delivered" if i % 3 == 0 else "transit", "x" * 2000))
    f.write("]")
' "$WORK/cwd/big.json"
peak() { # peak ARGS...: runs tms under GNU time; sets OUT, RC and PEAK (kB)
    OUT=$(cd "$WORK/cwd" && /usr/bin/time -f %M -o "$WORK/peak" timeout 120 "$TMS" "$@" </dev/null 2>"$WORK/stderr")
    RC=$?
    ERR="$(cat "$WORK/stderr")"
    PEAK=$(tail -n 1 "$WORK/peak")
}
peak -c 1
BASE_PEAK=$PEAK
peak -c 'open big.json | where status == "delivered" | count'
if [ "$RC" = 0 ] && [ "$OUT" = 8000 ] && [ "$PEAK" -lt $((BASE_PEAK + 16 * 1024)) ]; then
    pass "open streams a 48 MB file in bounded memory"
else
    fail "open streams a 48 MB file in bounded memory" "$(describe); peak $PEAK kB against $BASE_PEAK kB for tms -c 1"
fi
rm -f "$WORK/cwd/big.json"

run "$NULL" -c 'open /dev/zero | count'
expect_err "open /dev/zero is an error, not a crash" 1 "/dev/zero is not valid CSV: a NUL byte"

run "$NULL" -c '[{a: 1}] | save no-such-dir/t.json'
expect_err "save into a missing directory exits 1 naming the path" 1 "no-such-dir/t.json"

# --- Files by the XDG rules (docs/backends.md, "Files"): a variable that is not an absolute path is ignored
mkdir -p "$WORK/home"
HOME="$WORK/home" XDG_CONFIG_HOME="$WORK/xdg-config" XDG_DATA_HOME="relative/data" run "$NULL" -c 'sandbox seed 1 | count'
if [ "$RC" = 0 ] && [ -f "$WORK/home/.local/share/tms/sandbox.sqlite" ] && [ ! -e "$WORK/cwd/relative" ]; then
    pass "a relative XDG_DATA_HOME is ignored: the sandbox goes to ~/.local/share/tms"
else
    fail "a relative XDG_DATA_HOME is ignored: the sandbox goes to ~/.local/share/tms" "$(describe)"
fi
HOME="$WORK/home" XDG_CONFIG_HOME="$WORK/xdg-config" XDG_DATA_HOME=relative XDG_STATE_HOME="$WORK/state" run "$NULL" config explain
if [ "$RC" = 0 ] && [[ "$OUT" == *"$WORK/xdg-config/tms/config.toml"* && "$OUT" == *"data_dir     $WORK/home/.local/share/tms    (default: XDG_DATA_HOME is not an absolute path)"* && "$OUT" == *"state_dir    $WORK/state/tms    (XDG_STATE_HOME)"* ]]; then
    pass "config explain names the config file, the data and state folders, and where each came from"
else
    fail "config explain names the config file, the data and state folders, and where each came from" "$(describe)"
fi

# --- A support agent's first hours (issue 12): forms, help as a map, trace full, output
run "$NULL" --help
if [[ "$OUT" == *"tms serve"* && "$OUT" == *"tms keys"* && "$OUT" == *"tms config explain"* && "$OUT" == *"130  interrupted"* && "$OUT" == *"7    a bulk operation"* ]]; then
    pass "tms --help lists the subcommands and the whole exit-code table"
else
    fail "tms --help lists the subcommands and the whole exit-code table" "$(describe)"
fi
run "$NULL" --sandbox :memory: get ups 1Z999AA10123456784
expect_err "tms VERB ... suggests tms -c 'VERB ...'" 2 "run one line with -c: tms -c 'get ups 1Z999AA10123456784'"
run "$NULL" help 4017
expect "tms help 4017 explains the code" 0 "$(printf '%s\n' "4017 Bad Request: Tracking does not exist." "" \
    "  why:              the account does not track this number with this carrier" \
    "  what to do:       it has not been created for this key: create it first with create CARRIER NUMBER" \
    "  for the customer: their parcel is not tracked yet (or under another carrier: list numbers=NUMBER shows it)" \
    "  retry:            once fixed (see what to do): bulk failures with this code go to the failed-items file")"
run "$NULL" help error 4021
[[ "$RC" = 0 && "$OUT" == "4021 Bad Request: The remaining quota is used up."* ]] && pass "tms help error 4021" || fail "tms help error 4021" "$(describe)"
run "$NULL" help topics
expect_err "an unknown help word exits 2 like other usage errors" 2 "no help for 'topics'"
run "$NULL" --sandbox :memory: -c 'create sto 402934299065 title=Running shoes'
expect_err "an unquoted value with a blank says how to quote it" 2 'help: a value with blanks needs quotes: title="Running shoes"'
run "$NULL" --sandbox :memory: -c 'carriers search=upss | count'
if [ "$RC" = 0 ] && [ "$OUT" = 0 ] && [[ "$ERR" == *"no carrier's code or name contains 'upss'"* && "$ERR" == *"did you mean carriers search=ups?"* ]]; then
    pass "carriers search= that matches nothing says so and suggests"
else
    fail "carriers search= that matches nothing says so and suggests" "$(describe)"
fi
run "$NULL" --sandbox :memory: --trace=full -c 'create sto 402934299065 order_id=#1001 | select order_id'
if [ "$RC" = 0 ] && [ "$OUT" = "order_id | #1001" ] && [[ "$ERR" == *"trace: > POST http://127.0.0.1:8080/v2/trackings/post"* && "$ERR" == *"trace: > Trackingmore-Api-Key: (none)"* && "$ERR" == *'trace: >   "order_id": "#1001"'* && "$ERR" == *"trace: < meta 200 Success"* && "$ERR" == *'trace: <     "code": 200,'* && "$ERR" == *'trace: <   "data": {'* ]]; then
    pass "--trace=full shows the request (URL, headers, body) and the envelope as received"
else
    fail "--trace=full shows the request (URL, headers, body) and the envelope as received" "$(describe)"
fi
run "$NULL" --sandbox :memory: -c 'trace full; userinfo | select email; trace off; userinfo | select email'
if [ "$RC" = 0 ] && [[ "$ERR" == *"trace: > GET http://127.0.0.1:8080/v2/trackings/getuserinfo"* && "$ERR" == *'trace: <     "email": "sandbox@example.org"'* ]] && [ "$(printf '%s\n' "$ERR" | grep -c 'GET http')" = 1 ]; then
    pass "trace full, then trace off"
else
    fail "trace full, then trace off" "$(describe)"
fi
run "$NULL" --sandbox :memory: -c 'sandbox seed | select added'
expect "sandbox seed with no amount adds the 50 its help promises" 0 "added | 50"
run "$NULL" --sandbox :memory: -c 'sandbox seed 900 | select added; list | count'
expect "sandbox seed over 500 goes in parts and adds them all" 0 "$(printf 'added | 900\n900')"
run "$NULL" --sandbox :memory: -c 'sandbox seed 1200 | select added quota_left; list | count'
expect "sandbox seed past the quota (1000) stops there and says so" 0 "$(printf 'added      | 1000\nquota_left | 0\n1000')"
run "$NULL" --sandbox :memory: -c '[] | remote | select submitted'
expect "remote of no records still asks, and answers its empty report" 0 "submitted | 0"
# --endpoint with no key: the 4001 hint says to set TRACKINGMORE_API_KEY.
"$TMS" serve --port 0 --db "$WORK/agent-serve.sqlite" </dev/null >"$WORK/agent-serve.out" 2>/dev/null &
AGENT_SERVE=$!
for _ in $(seq 1 100); do grep -q "listening on" "$WORK/agent-serve.out" 2>/dev/null && break; sleep 0.1; done
run "$NULL" --endpoint "$(sed 's/^listening on //' "$WORK/agent-serve.out")/v2" -c 'list | count'
expect_err "--endpoint with no key: the 4001 hint says to set TRACKINGMORE_API_KEY" 4 "help: no API key was sent: set TRACKINGMORE_API_KEY"
kill "$AGENT_SERVE" 2>/dev/null
wait "$AGENT_SERVE" 2>/dev/null
# Bulk failures summed by meta code; a failed-items file only for items worth retrying, only
# when there are some, its path printed; nothing left behind by --sandbox :memory:.
mkdir -p "$WORK/bulk"
RUN_DIR="$WORK/bulk" run "$NULL" --sandbox "$WORK/bulk.sqlite" -c 'sandbox seed 100 | select added; list | select carrier_code tracking_number | create | select added'
if [ "$RC" = 7 ] && [[ "$ERR" == *"100 of 100 items failed: 4016 tracking already exists ×100 — nothing to retry"* ]] && [ -z "$(ls "$WORK/bulk")" ]; then
    pass "100 creates refused with 4016: summed by code, nothing to retry, no file"
else
    fail "100 creates refused with 4016: summed by code, nothing to retry, no file" "$(describe; ls "$WORK/bulk")"
fi
RUN_DIR="$WORK/bulk" run "$NULL" --sandbox "$WORK/bulk.sqlite" -c '[{carrier_code: ups, tracking_number: "1Z999AA10123456784"}, {carrier_code: nope, tracking_number: "1Z999AA10123456785"}, {carrier_code: sto, tracking_number: "402934299065"}] | create | select added; list | first | select carrier_code tracking_number | create | select added'
FAILED_FILE="$(ls "$WORK/bulk" | head -n 1)"
if [ "$RC" = 7 ] && [[ "$ERR" == *"1 of 3 items failed: 4015 carrier code is invalid ×1"* && "$ERR" == *"the 1 worth retrying is in $FAILED_FILE: open $FAILED_FILE | create"* ]] \
    && [ "$(ls "$WORK/bulk" | wc -l)" = 1 ] && [ "$(cat "$WORK/bulk/$FAILED_FILE")" = '{"carrier_code":"nope","tracking_number":"1Z999AA10123456785"}' ]; then
    pass "the failed-items file holds only the item worth retrying, and its path is printed"
else
    fail "the failed-items file holds only the item worth retrying, and its path is printed" "$(describe; ls "$WORK/bulk")"
fi
rm -f "$WORK/bulk"/*
RUN_DIR="$WORK/bulk" run "$NULL" --sandbox :memory: -c '[{carrier_code: nope, tracking_number: "1Z999AA10123456785"}] | create | select added'
if [ "$RC" = 7 ] && [ -z "$(ls "$WORK/bulk")" ] && [[ "$ERR" == *"no failed-items file was written (--failed-items DIR asks for one)"* ]]; then
    pass "--sandbox :memory: leaves no failed-items file behind"
else
    fail "--sandbox :memory: leaves no failed-items file behind" "$(describe; ls "$WORK/bulk")"
fi
RUN_DIR="$WORK/bulk" run "$NULL" --sandbox :memory: --failed-items "$WORK/bulk" -c '[{carrier_code: nope, tracking_number: "1Z999AA10123456785"}] | create | select added'
if [ "$RC" = 7 ] && [ "$(ls "$WORK/bulk" | wc -l)" = 1 ] && [[ "$ERR" == *"is in $WORK/bulk/failed-"* ]]; then
    pass "--sandbox :memory: --failed-items DIR writes it there"
else
    fail "--sandbox :memory: --failed-items DIR writes it there" "$(describe; ls "$WORK/bulk")"
fi
LONG_TITLE="$(printf 'word%.0s ' $(seq 60))"
run "$NULL" --sandbox :memory: -c "[{title: \"$LONG_TITLE\", n: 1}] | table"
if [ "$RC" = 0 ] && [[ "$OUT" == *"$LONG_TITLE"* ]] && [[ "$OUT" != *"…"* ]]; then
    pass "a table whose stdout is not a terminal is not cut to a width"
else
    fail "a table whose stdout is not a terminal is not cut to a width" "$(describe)"
fi

# --- No escape codes unless stdout/stderr is a terminal and colour is allowed
run "$NULL" -c '[{status: delivered, n: 1}, {status: exception, n: 2}]'
if [ "$RC" = 0 ] && [[ "$OUT" != *"$ESC"* ]] && [ -n "$OUT" ]; then
    pass "a table written to a file has no escape codes"
else
    fail "a table written to a file has no escape codes" "$(describe | cat -v)"
fi

run "$NULL" -c 'cuont'
if [ "$RC" = 2 ] && [[ "$ERR" != *"$ESC"* ]]; then
    pass "a diagnostic written to a file has no escape codes"
else
    fail "a diagnostic written to a file has no escape codes" "$(describe | cat -v)"
fi

if command -v script >/dev/null 2>&1; then
    # script(1) gives tms a terminal; stdout and stderr both go to it.
    on_tty() {
        (
            cd "$WORK/cwd" || exit 99
            exec timeout 20 script -qec "$1" /dev/null
        ) </dev/null >"$WORK/tty" 2>&1
        TTY="$(cat "$WORK/tty")"
    }
    on_tty "'$TMS' -c cuont"
    if [[ "$TTY" == *"$ESC["* ]]; then
        pass "on a terminal, diagnostics are coloured"
    else
        fail "on a terminal, diagnostics are coloured" "$(printf '%s' "$TTY" | cat -v)"
    fi
    on_tty "NO_COLOR=1 '$TMS' -c cuont"
    if [[ "$TTY" == *"unknown verb"* ]] && [[ "$TTY" != *"$ESC"* ]]; then
        pass "NO_COLOR: no escape codes on a terminal"
    else
        fail "NO_COLOR: no escape codes on a terminal" "$(printf '%s' "$TTY" | cat -v)"
    fi
    on_tty "'$TMS' --no-color -c cuont"
    if [[ "$TTY" == *"unknown verb"* ]] && [[ "$TTY" != *"$ESC"* ]]; then
        pass "--no-color: no escape codes on a terminal"
    else
        fail "--no-color: no escape codes on a terminal" "$(printf '%s' "$TTY" | cat -v)"
    fi
    on_tty "NO_COLOR=1 '$TMS' -c '[{status: delivered, n: 1}]'"
    if [[ "$TTY" == *delivered* ]] && [[ "$TTY" != *"$ESC"* ]]; then
        pass "NO_COLOR: a table on a terminal has no escape codes"
    else
        fail "NO_COLOR: a table on a terminal has no escape codes" "$(printf '%s' "$TTY" | cat -v)"
    fi
    # A bulk call that takes over a second shows its progress on a terminal's stderr, never
    # when stderr is a file. --rate 4 paces its 10 calls (400 items) over about 2.5 s.
    "$TMS" serve --port 0 --db "$WORK/progress.sqlite" </dev/null >"$WORK/progress-serve.out" 2>/dev/null &
    PROGRESS_SERVE=$!
    for _ in $(seq 1 100); do grep -q "listening on" "$WORK/progress-serve.out" 2>/dev/null && break; sleep 0.1; done
    PROGRESS_URL="$(sed 's/^listening on //' "$WORK/progress-serve.out")/v2"
    PROGRESS_KEY="$("$TMS" keys add progress --db "$WORK/progress.sqlite" </dev/null | tail -n 1)"
    { echo "carrier_code,tracking_number"; for n in $(seq 1 800); do printf 'usps,9400%014d\n' "$n"; done; } >"$WORK/cwd/progress.csv"
    on_tty "TRACKINGMORE_API_KEY=$PROGRESS_KEY '$TMS' --endpoint $PROGRESS_URL --rate 4 -c 'open progress.csv | first 400 | create | select added'"
    if [[ "$TTY" == *"$ESC[Kcreate: "*" of 400 done"* ]] && [[ "$TTY" == *"added | 400"* ]]; then
        pass "a bulk call over a second shows its progress on a terminal"
    else
        fail "a bulk call over a second shows its progress on a terminal" "$(printf '%s' "$TTY" | cat -v)"
    fi
    TRACKINGMORE_API_KEY=$PROGRESS_KEY run "$NULL" --endpoint "$PROGRESS_URL" --rate 4 -c 'open progress.csv | last 400 | create | select added'
    if [ "$RC" = 0 ] && [ "$OUT" = "added | 400" ] && [[ "$ERR" != *"done"* ]] && [[ "$ERR" != *"$ESC"* ]]; then
        pass "no progress line when stderr is not a terminal"
    else
        fail "no progress line when stderr is not a terminal" "$(describe | cat -v)"
    fi
    kill "$PROGRESS_SERVE" 2>/dev/null
    wait "$PROGRESS_SERVE" 2>/dev/null
else
    echo "skip  terminal colour and progress checks: script(1) is not installed"
fi

# --- Inputs that once hung or crashed tms: each must end, with exit 2
run "$NULL" -c 'echo 1)'
expect_err "a stray ')' exits 2 (no hang)" 2 "<command line>:1:7"

run "$NULL" -c 'echo [1, 2]]'
expect_err "a stray ']' exits 2 (no hang)" 2 "<command line>:1:12"

run "$NULL" -c 'echo (1 == )'
expect_err "an error just before ')' exits 2 (no hang)" 2 "<command line>:1:12"

printf 'echo %s1%s\n' "$(printf '(%.0s' $(seq 10000))" "$(printf ')%.0s' $(seq 10000))" >"$WORK/cwd/deep.tms"
run "$NULL" deep.tms
expect_err "10,000 nested parentheses exit 2 (no hang)" 2 "nested more than 200 levels deep"

printf 'let x = 1%s\necho $x\n' "$(printf ' + 1%.0s' $(seq 100000))" >"$WORK/cwd/long.tms"
run "$NULL" long.tms
if [ "$RC" = 0 ] || [ "$RC" = 2 ]; then
    pass "1 + 1 + ... (100,000 terms) ends without a crash"
else
    fail "1 + 1 + ... (100,000 terms) ends without a crash" "$(describe)"
fi

echo "$PASSED passed, $FAILED failed"
[ "$FAILED" -eq 0 ]
