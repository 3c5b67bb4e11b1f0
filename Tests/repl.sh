#!/usr/bin/env bash
# The interactive shell in a real terminal, driven through tmux:
#
#   Tests/repl.sh PATH_TO_TMS
#
# Each check types into the pane and polls it for the expected text with a deadline (no fixed
# sleeps). Prints one line per check and, last, "N passed, M failed"; exits 1 on a failure.
set -u
TMS="$(cd "$(dirname "$1")" && pwd)/$(basename "$1")"
WORK="$(mktemp -d "${TMPDIR:-/tmp}/tms-repl.XXXXXX")"
SOCKET="tms-repl-$$-0"
export SWIFT_BACKTRACE=enable=no
PASSED=0
FAILED=0
tm() { tmux -L "$SOCKET" "$@"; }
cleanup() {
    tm kill-server 2>/dev/null
    rm -rf "$WORK" 2>/dev/null || true
}
trap cleanup EXIT

# wait_for TEXT [SECONDS]: polls the pane until it shows TEXT.
wait_for() {
    local deadline=$((SECONDS + ${2:-15}))
    while [ $SECONDS -lt $deadline ]; do
        tm capture-pane -p -t t -S -200 2>/dev/null | grep -qF -- "$1" && return 0
        sleep 0.1
    done
    return 1
}
check() { # check NAME TEXT [SECONDS]
    if wait_for "$2" "${3:-15}"; then
        PASSED=$((PASSED + 1)); echo "ok    $1"
    else
        FAILED=$((FAILED + 1)); echo "FAIL  $1 (waited for: $2)"
        tm capture-pane -p -t t -S -40 | sed 's/^/      | /' | tail -20
    fi
}
RUN=0
# start [ENV...]: a fresh shell in a new tmux server, with these extra variables, running tms
# (TMS_ARGS, default --sandbox :memory:).
start() {
    tm kill-server 2>/dev/null
    RUN=$((RUN + 1))
    SOCKET="tms-repl-$$-$RUN"
    tm new-session -d -s t -x 120 -y 40 "env -i PATH=/usr/bin:/bin TERM=xterm-256color LANG=C.UTF-8 HOME=$WORK SWIFT_BACKTRACE=enable=no $* bash --norc --noprofile"
    wait_for "$ " 10 || wait_for "# " 10
    tm send-keys -t t "clear; $TMS ${TMS_ARGS:---sandbox :memory:}; echo EXIT=\$?" Enter
}
SANDBOX_ENV="PAGER='sed s/^/PAGED:/' XDG_STATE_HOME=$WORK/state XDG_DATA_HOME=$WORK/data XDG_CONFIG_HOME=$WORK/config"

mkdir -p "$WORK/config/tms"
echo 'let greeting = "hello from init.tms"' >"$WORK/config/tms/init.tms"
start "$SANDBOX_ENV"
check "the prompt shows the backend" "tms[sandbox]>"
tm send-keys -t t '$greeting' Enter
check "the startup file ran first" "hello from init.tms"
tm send-keys -t t "1 + 1" Enter
tm send-keys -t t '$last * 10' Enter
check "\$last holds the previous result" "20"
tm send-keys -t t "sort " Tab
check "TAB after a verb shows its signature" "sort [FIELD] [ORDER]"
tm send-keys -t t C-u "sandbox seed 45; list | each { \$it.tracking_number }" Enter
check "output taller than the terminal goes through \$PAGER" "PAGED:"
tm send-keys -t t "[1, 2, 3] |" Enter
check "a line ending in | continues with a ...(Ctrl-C abandons)> prompt" "...(Ctrl-C abandons)>"
tm send-keys -t t "count" Enter
check "the multi-line pipeline runs whole" "3"
tm send-keys -t t "cou" Tab "X"
check "TAB completes a verb" "tms[sandbox]> count X"
tm send-keys -t t C-u "create ch" Tab
check "TAB lists carrier codes" "china-post"
tm send-keys -t t C-u "list stat" Tab
check "TAB completes a key= name of the verb" "list status="
tm send-keys -t t C-u "half typed" C-c
tm send-keys -t t 'echo "héllo wörld ✓ 包裹"' Enter
check "Ctrl-C clears the line, and UTF-8 input round-trips" "héllo wörld ✓ 包裹"
tm send-keys -t t "sleep 20s" Enter
sleep 0.5
tm send-keys -t t C-c
check "Ctrl-C during sleep 20s returns to the prompt" "interrupted after"
tm send-keys -t t "get sto 402934299065" Enter
check "an API error is shown" "tracking does not exist (API 4017)"
tm send-keys -t t "create sto 402934299065 | select status" Enter
check "and the next command works" "status | pending"
tm send-keys -t t C-d
check "Ctrl-D on an empty line exits with 0" "EXIT=0"

HISTORY="$WORK/state/tms/history-default"
if [ -f "$HISTORY" ] && [ "$(stat -c %a "$HISTORY")" = "600" ]; then
    PASSED=$((PASSED + 1)); echo "ok    history is saved with mode 0600"
else
    FAILED=$((FAILED + 1)); echo "FAIL  history is saved with mode 0600 ($(stat -c %a "$HISTORY" 2>&1))"
fi
start "$SANDBOX_ENV"
check "a second run starts" "tms[sandbox]>"
tm send-keys -t t Up
check "history persists across runs" "create sto 402934299065 | select status"
# The history position is still at the last entry: four more steps back.
tm send-keys -t t C-u Up Up Up Up
check "a multi-line entry is kept whole in the history" "[1, 2, 3] |"
tm send-keys -t t C-u C-d
check "and exits with 0" "EXIT=0"

# Completion of variables and their fields, Ctrl-R, -X, and vi keys from ~/.editrc.
start "$SANDBOX_ENV"
check "a third run starts" "tms[sandbox]>"
tm send-keys -t t 'let parcel = {tracking_number: "402934299065", carrier_code: sto}' Enter
tm send-keys -t t '$par' Tab
check "TAB completes a variable" '$parcel'
tm send-keys -t t '.track' Tab Enter
check "TAB completes a field of a variable's record" "402934299065"
tm send-keys -t t C-r "greet"
check "Ctrl-R searches the history" '$greeting'
tm send-keys -t t C-c C-d
check "a fourth run: -X skips the startup file" "EXIT=0"
tm send-keys -t t "clear; $TMS -X --sandbox :memory:; echo EXIT=\$?" Enter
check "-X starts the shell" "tms[sandbox]>"
tm send-keys -t t '$greeting' Enter
check "-X: the startup file did not run" "unknown variable"
tm send-keys -t t C-d
check "leaves" "EXIT=0"
printf 'bind -v\n' >"$WORK/.editrc"
tm send-keys -t t "clear; $TMS --sandbox :memory:; echo EXIT=\$?" Enter
check "with ~/.editrc asking for vi keys" "tms[sandbox]>"
tm send-keys -t t "echo vi-mode-works" Escape "0" "i" "#" Enter
check "vi keys move in the line (0 then i inserts at the start)" "#echo vi-mode-works"
tm send-keys -t t Escape "i" C-d
check "and Ctrl-D leaves" "EXIT=0"
rm -f "$WORK/.editrc"

# passes NAME COMMAND...: a check that COMMAND succeeds; lacks TEXT: the pane does not show TEXT.
passes() {
    local name=$1
    shift
    if "$@"; then
        PASSED=$((PASSED + 1)); echo "ok    $name"
    else
        FAILED=$((FAILED + 1)); echo "FAIL  $name"; tm capture-pane -p -t t | tail -8 | sed 's/^/      | /'
    fi
}
lacks() { ! tm capture-pane -p -t t | grep -q -- "$1"; }

# A support agent's first start (issue 12): the welcome on an empty sandbox, the continuation
# prompt that says how to abandon the entry, Ctrl-C that counts this entry's requests and
# starts a new line, sandbox seed stopped with the count added, quit and exit.
TMS_ARGS="--sandbox $WORK/agent.sqlite" start "$SANDBOX_ENV"
check "an empty sandbox: a welcome says which backend this is" "this is the built-in sandbox, a practice API on this machine"
check "and how to fill it, get help and start the lessons" "sandbox seed 50 fills it; help shows the map; learn starts the lessons"
tm send-keys -t t "[1, 2] |" Enter
check "the continuation prompt says how to abandon the entry" "...(Ctrl-C abandons)>"
tm send-keys -t t C-c
tm send-keys -t t "userinfo | select email; userinfo | select email" Enter
check "entries run" "email | sandbox@example.org"
tm send-keys -t t "userinfo | select email; sleep 20s" Enter
sleep 1
tm send-keys -t t C-c
check "Ctrl-C counts only the requests of the interrupted entry" "interrupted after 1 API request of this entry"
passes "after Ctrl-C the message starts on a new line" lacks '\^Cerror'
tm send-keys -t t "sandbox seed 20 | select added" Enter
check "sandbox seed fills it" "added | 20"
tm send-keys -t t "quit" Enter
check "quit leaves the shell" "EXIT=0"
TMS_ARGS="--sandbox $WORK/agent.sqlite" start "$SANDBOX_ENV"
check "a sandbox with trackings starts without the welcome" "tms[sandbox]>"
passes "no welcome once the sandbox has trackings" lacks "Welcome to tms"
tm send-keys -t t "exit" Enter
check "exit leaves the shell" "EXIT=0"

# Deleting more than 10 trackings off the built-in sandbox asks first at a terminal (here a
# tms serve through --endpoint); --yes skips the question.
KEY=$(timeout 20 "$TMS" keys add agent --quota 20000 --db "$WORK/serve.sqlite" </dev/null | tail -n 1)
"$TMS" serve --port 0 --db "$WORK/serve.sqlite" </dev/null >"$WORK/serve.out" 2>"$WORK/serve.log" &
SERVE_PID=$!
for _ in $(seq 1 100); do grep -q "listening on" "$WORK/serve.out" 2>/dev/null && break; sleep 0.1; done
URL="$(sed 's/^listening on //' "$WORK/serve.out")/v2"
TMS_ARGS="--endpoint $URL" start "$SANDBOX_ENV TRACKINGMORE_API_KEY=$KEY"
check "a shell on a tms serve" "tms[$URL]>"
tm send-keys -t t "sandbox seed 15 | select added" Enter
check "with 15 trackings" "added | 15"
tm send-keys -t t "list | delete" Enter
check "list | delete of more than 10 asks first" "delete 15 trackings at $URL? [y/N]"
tm send-keys -t t "n" Enter
check "no: nothing is deleted" "not confirmed: none of the 15 trackings was deleted"
tm send-keys -t t "list | count" Enter
check "and all 15 are there" "15"
tm send-keys -t t "list | delete | select delete" Enter
check "asked again" "delete 15 trackings at $URL? [y/N]"
tm send-keys -t t "y" Enter
check "yes: they are deleted" "delete | 15"
# Ctrl-C stops a long seed between its parts of 500 and says how many were added. It comes
# once tms serve has stored the seed's first part (more trackings than before the seed, read
# in its database): 10000 over HTTP took 1.5 s when this was written and 0.25 s by 2026-12-01
# (a debug build), when a Ctrl-C at a fixed 0.2 s came after the seed's end now and then.
STORED_BEFORE=$(python3 -c 'import sqlite3, sys; print(sqlite3.connect(f"file:{sys.argv[1]}?mode=ro", uri=True).execute("SELECT count(*) FROM tracking").fetchone()[0])' "$WORK/serve.sqlite")
tm send-keys -t t "sandbox seed 10000" Enter
python3 - "$WORK/serve.sqlite" "$STORED_BEFORE" <<'PY'
import sqlite3, sys, time
db = sqlite3.connect(f"file:{sys.argv[1]}?mode=ro", uri=True)
end = time.time() + 10
while time.time() < end and db.execute("SELECT count(*) FROM tracking").fetchone()[0] <= int(sys.argv[2]):
    time.sleep(0.002)
PY
tm send-keys -t t C-c
check "Ctrl-C stops sandbox seed 10000 and says how many were added" "trackings added"
ADDED=$(tm capture-pane -p -t t -S -50 | sed -n 's/.*interrupted: \([0-9]*\) of 10000 trackings added.*/\1/p' | tail -1)
tm send-keys -t t "list | count" Enter
added_are_listed() { [ -n "$ADDED" ] && [ "$ADDED" -lt 10000 ] && wait_for "$ADDED" 10; }
passes "the count is true: list | count shows the $ADDED added" added_are_listed
tm send-keys -t t "sandbox reset" Enter "exit" Enter
check "leaves" "EXIT=0"
tm send-keys -t t "clear; $TMS --endpoint $URL -c 'sandbox seed 12 | select added'; $TMS --endpoint $URL --yes -c 'list | delete | select delete'; echo DONE=\$?" Enter
check "--yes: -c at a terminal deletes without asking" "delete | 12"
check "and exits 0" "DONE=0"
# Ctrl-C stops a bulk create with requests in flight: its report says what was not confirmed,
# and each item is among the account's trackings or in the failed-items file.
# Ctrl-C comes once tms serve has logged a few of its batches (its log is at most 0.2 s late):
# requests are then in flight (before, it would stop the reading of the file), and 40,000 rows
# leave most of the 1,000 batches to go (a debug build sends them in about a second).
KEY2=$(timeout 20 "$TMS" keys add bulk --quota 50000 --db "$WORK/serve.sqlite" </dev/null | tail -n 1)
{ echo "carrier_code,tracking_number"; for n in $(seq 1 40000); do printf 'usps,9400%014d\n' "$n"; done; } >"$WORK/bulk.csv"
mkdir -p "$WORK/failed"
TMS_ARGS="--endpoint $URL --failed-items $WORK/failed" start "$SANDBOX_ENV TRACKINGMORE_API_KEY=$KEY2"
check "a shell for the bulk" "tms[$URL]>"
BATCHES_BEFORE=$(grep -c "POST /v2/trackings/batch" "$WORK/serve.log")
tm send-keys -t t "open $WORK/bulk.csv | create | select added" Enter
for _ in $(seq 1 300); do
    [ "$(grep -c "POST /v2/trackings/batch" "$WORK/serve.log")" -ge $((BATCHES_BEFORE + 3)) ] && break
    sleep 0.02
done
tm send-keys -t t C-c
check "Ctrl-C stops a bulk create and reports the rest as not confirmed" "not done or not confirmed (interrupted)"
bulk_is_exact() {
    TRACKINGMORE_API_KEY=$KEY2 timeout 60 "$TMS" --endpoint "$URL" --output csv -c 'list | select tracking_number' </dev/null | tail -n +2 | sort >"$WORK/created.txt"
    cat "$WORK"/failed/failed-*.jsonl 2>/dev/null | grep -o '"tracking_number":"*[0-9]*' | grep -o '[0-9]*$' | sort >"$WORK/listed.txt"
    tail -n +2 "$WORK/bulk.csv" | cut -d, -f2 | sort >"$WORK/all.txt"
    local missing both
    missing=$(sort -u "$WORK/created.txt" "$WORK/listed.txt" | comm -23 "$WORK/all.txt" - | wc -l)
    both=$(comm -12 "$WORK/created.txt" "$WORK/listed.txt" | wc -l)
    echo "      | created $(wc -l <"$WORK/created.txt"), listed $(wc -l <"$WORK/listed.txt"), both $both, missing $missing"
    # Calls cut off on the way may have been done: their items are listed as not confirmed (at
    # most the window's 4 calls of 40); none of the 40,000 is missing from both.
    [ -s "$WORK/listed.txt" ] && [ "$missing" = 0 ] && [ "$both" -le 160 ]
}
passes "after Ctrl-C each of the 40,000 is created or listed (a cut-off call's items maybe both)" bulk_is_exact
tm send-keys -t t "exit" Enter
check "the session ends with exit 7: a bulk call in it did not finish every item" "EXIT=7"
kill "$SERVE_PID" 2>/dev/null
wait "$SERVE_PID" 2>/dev/null

# The live API's prompt is red and names the profile (no request is made: none is typed).
TMS_ARGS=--live start TRACKINGMORE_API_KEY=dummy-key-0000
check "the live prompt names the profile" "tms[live:default]>"
if tm capture-pane -p -e -t t | grep -q $'\e\\[31mtms\\[live'; then
    PASSED=$((PASSED + 1)); echo "ok    the live prompt is red"
else
    FAILED=$((FAILED + 1)); echo "FAIL  the live prompt is red"
fi
tm send-keys -t t "echo dummy-key-0000" Enter "echo safe-entry" Enter
check "entries run" "safe-entry"
tm send-keys -t t C-d
check "and Ctrl-D leaves it" "EXIT=0"
LIVE_HISTORY="$WORK/.local/state/tms/history-default"
if grep -q "safe-entry" "$LIVE_HISTORY" && ! grep -q "dummy-key-0000" "$LIVE_HISTORY"; then
    PASSED=$((PASSED + 1)); echo "ok    no history line holds the API key"
else
    FAILED=$((FAILED + 1)); echo "FAIL  no history line holds the API key"; cat "$LIVE_HISTORY" 2>&1 | sed 's/^/      | /'
fi

# Ctrl-C in the startup file stops it and the shell goes on to its prompt, as bash's does.
mkdir -p "$WORK/slow-config/tms"
printf 'echo "init: waiting"\nsleep 60s\nlet after = "not reached"\n' >"$WORK/slow-config/tms/init.tms"
start "PAGER=cat XDG_STATE_HOME=$WORK/state XDG_CONFIG_HOME=$WORK/slow-config"
check "a slow startup file runs" "init: waiting"
tm send-keys -t t C-c
check "Ctrl-C stops the startup file and says so" "interrupted after 0 API requests of the startup file"
check "and the shell gives its prompt" "tms[sandbox]>"
tm send-keys -t t "\$after" Enter
check "the rest of the startup file did not run" "unknown variable"
tm send-keys -t t "1 + 41" Enter
check "entries run" "42"
tm send-keys -t t C-d
check "and Ctrl-D leaves with 0" "EXIT=0"

# tms serve's default address is a server like any other, never shown as the built-in sandbox.
TMS_ARGS="--endpoint http://127.0.0.1:8080/v2" start
check "an --endpoint prompt shows its URL" "tms[http://127.0.0.1:8080/v2]>"
tm send-keys -t t C-d
check "and Ctrl-D leaves it" "EXIT=0"

echo "$PASSED passed, $FAILED failed"
[ "$FAILED" -eq 0 ]
