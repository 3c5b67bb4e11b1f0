#!/usr/bin/env bash
# tms learn as learners take it:
#
#   Tests/learn.sh PATH_TO_TMS
#
# A scripted learner takes every lesson through `tms learn` (answers on stdin, as a pipe) and
# through `learn` in the interactive shell (typed into a real terminal with tmux); a wrong
# answer is refused with the hint, a correct answer written unlike the lesson's own passes;
# progress, --list, --reset and --dir; the example of docs/tutorial/writing-lessons.md; a
# classroom on a real tms serve (lessons recorded in the student's account, tms class report,
# reset and seed). Prints one line per check and "N passed, M failed"; exits 1 on a failure.
set -u
TMS="$(cd "$(dirname "$1")" && pwd)/$(basename "$1")"
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
LESSONS="$ROOT/lessons"
WORK="$(mktemp -d "${TMPDIR:-/tmp}/tms-learn.XXXXXX")"
SOCKET="tms-learn-$$"
SERVER=""
export SWIFT_BACKTRACE=enable=no HOME="$WORK" USER=tester NO_COLOR=1
export XDG_DATA_HOME="$WORK/data" XDG_STATE_HOME="$WORK/state" XDG_CONFIG_HOME="$WORK/config"
unset TRACKINGMORE_API_KEY TMS_LESSONS TMS_PROFILE
PASSED=0
FAILED=0
tm() { tmux -L "$SOCKET" "$@"; }
cleanup() {
    tm kill-server 2>/dev/null
    [ -n "$SERVER" ] && kill "$SERVER" 2>/dev/null
    rm -rf "$WORK" 2>/dev/null || true
}
trap cleanup EXIT
ok() { PASSED=$((PASSED + 1)); echo "ok    $1"; }
bad() { FAILED=$((FAILED + 1)); echo "FAIL  $1"; [ -n "${2:-}" ] && printf '%s\n' "$2" | tail -25 | sed 's/^/      | /'; }
# expect NAME TEXT OUTPUT: OUTPUT contains TEXT.
expect() { if printf '%s' "$3" | grep -qF -- "$2"; then ok "$1"; else bad "$1 (wanted: $2)" "$3"; fi; }
# refuse NAME TEXT OUTPUT: OUTPUT does not contain TEXT.
refuse() { if printf '%s' "$3" | grep -qF -- "$2"; then bad "$1 (did not want: $2)" "$3"; else ok "$1"; fi; }
# learn ARGS... < input: tms learn with the learner's lines on stdin.
learn() { "$TMS" learn "$@" 2>&1; }

names=$(cd "$LESSONS" && ls -d [0-9]*/ | tr -d /)
count=$(printf '%s\n' $names | wc -l)

# --- the list and the lessons' files
out=$(learn --list)
lines=$(printf '%s\n' "$out" | grep -c '  new ')
[ "$lines" -ge 12 ] && [ "$lines" -eq "$count" ] && ok "--list shows $lines lessons, one a line, all new" || bad "--list shows every lesson as new" "$out"
expect "--list names lesson 1" "  1  new      What a tracking is" "$out"
out=$(cd / && "$TMS" learn --list 2>&1)
expect "the lessons are found from any directory (beside the executable's source tree)" "  1  new      What a tracking is" "$out"
out=$(TMS_LESSONS="$ROOT/docs/tutorial/example-lessons" "$TMS" learn --list 2>&1)
expect "TMS_LESSONS names another folder of lessons" "  1  new      How much quota is left" "$out"

# --- every lesson, taken with its own answer, piped in as a learner would type it
for i in $(seq 1 "$count"); do
    name=$(printf '%s\n' $names | sed -n "${i}p")
    out=$( (cat "$LESSONS/$name/answer.tms"; echo quit) | learn "$i")
    if printf '%s' "$out" | grep -qF "✓ Done." && printf '%s' "$out" | grep -qF "== Lesson $i of $count"; then
        ok "lesson $i ($name) passes with its answer"
    else
        bad "lesson $i ($name) passes with its answer" "$out"
    fi
done
out=$(learn --list)
[ "$(printf '%s\n' "$out" | grep -c '  done ')" -eq "$count" ] && ok "--list shows every lesson done" || bad "--list shows every lesson done" "$out"

# --- what a lesson shows: the request and the envelope
out=$(printf 'get dhl 1234567890 | select status\nquit\n' | learn 1)
expect "the request a command made is shown" "→ GET /v2/trackings/dhl/1234567890" "$out"
expect "the envelope that came back is shown" '← {"meta":{"code":200' "$out"
expect "the lesson explains before it asks" "A tracking is TrackingMore's record of one parcel" "$out"

# --- wrong tries: a hint after each, the answer after the third; then another correct form
out=$(printf 'list | count\nget ups 1Z999AA10123456784\nuserinfo\n(get dhl 1234567890).status\nquit\n' | learn 1)
expect "a wrong answer is refused" "Not yet." "$out"
expect "the first wrong try brings the first hint" "Hint: get takes the carrier code and the number" "$out"
expect "the second wrong try brings the second hint" "Hint: The carrier is dhl and the number 1234567890" "$out"
expect "the third wrong try brings the answer" "After three tries, here is one answer" "$out"
expect "an answer written unlike the lesson's own passes" "✓ Done." "$out"
out=$(printf 'list | where status == undelivered | count\nquit\n' | learn 7)
expect "lesson 7 passes with where instead of the status filter" "✓ Done." "$out"
out=$(printf 'get fedex 1234567890 | delete\nquit\n' | learn 9)
expect "lesson 9 passes with the tracking piped into delete" "✓ Done." "$out"
out=$(printf 'get ups RR123456785CN | recarrier china-post\nquit\n' | learn 10)
expect "lesson 10 passes with recarrier on piped input" "✓ Done." "$out"
out=$(printf '[1, 2, 3, 4] | each { realtime usps 9400111899223033005282 | count }\nagain\nrealtime usps 9400111899223033005282\nquit\n' | learn 11)
expect "lesson 11 has the live rate limits on: a fourth realtime in a second is refused" "error[API429]: too many requests" "$out"
expect "after again, lesson 11 passes" "✓ Done." "$out"
out=$(printf 'get ups 1Z999AA10123456784 | put status=7\nquit\n' | learn 6)
expect "lesson 6 refuses a 7 where the task is to undo" "It is marked exception now: 8, not 7" "$out"
refuse "lesson 6 does not pass on a 7" "✓ Done." "$out"
out=$(printf 'create ups 1Z999AA10123456784 title="Blue scarf" order_id=A-2001\nquit\n' | learn 2)
expect "a create shows its request body" '→ POST /v2/trackings/post {"tracking_number":"1Z999AA10123456784","carrier_code":"ups","title":"Blue scarf"' "$out"
out=$(printf 'hint\nanswer\nagain\nskip\nquit\n' | learn 3)
expect "hint at the prompt" "Hint: First try create sto 402934299065" "$out"
expect "answer at the prompt" "try { create sto 402934299065 } catch e { \$e.code }" "$out"
expect "again sets the lesson up anew" "The lesson's sandbox is as it was at the start." "$out"
expect "skip goes to the next lesson" "== Lesson 4 of $count" "$out"
out=$(printf 'get dhl 1234567890 |\nselect status\nquit\n' | learn 1)
expect "a command may go on over lines" "✓ Done." "$out"

# --- progress
printf 'not json' >"$WORK/state/tms/learn/tester-lessons.json"
out=$(learn --list); code=$?
[ $code -eq 2 ] && expect "a damaged progress file is refused, saying how to start over" "run tms learn --reset" "$out" || bad "a damaged progress file exits 2 (got $code)" "$out"
out=$(learn --reset)
expect "--reset forgets the progress" "forgot the progress of tester" "$out"
out=$(learn --list)
[ "$(printf '%s\n' "$out" | grep -c '  new ')" -eq "$count" ] && ok "after --reset every lesson is new" || bad "after --reset every lesson is new" "$out"
printf 'get dhl 1234567890\nquit\n' | learn >/dev/null
out=$(printf 'quit\n' | learn)
expect "tms learn goes on at the first lesson not done" "== Lesson 2 of $count" "$out"
out=$(learn --list --learner someone-else)
refuse "progress is per learner" "done" "$out"
out=$(learn 99 2>&1); code=$?
[ $code -eq 2 ] && expect "a lesson past the last is refused" "there are $count lessons" "$out" || bad "a lesson past the last is refused with exit 2 (got $code)" "$out"
out=$("$TMS" --live learn 2>&1); code=$?
[ $code -eq 2 ] && expect "lessons never run on the live API" "lessons never use the live API" "$out" || bad "lessons never run on the live API (exit $code)" "$out"

# --- a set of one's own: the example of docs/tutorial/writing-lessons.md
EXAMPLE="$ROOT/docs/tutorial/example-lessons"
out=$(learn --dir "$EXAMPLE" --list)
expect "--dir lists a set of one's own" "  1  new      How much quota is left" "$out"
out=$(printf 'list | count\nuserinfo\nquit\n' | learn --dir "$EXAMPLE")
expect "the example lesson refuses a wrong answer with its hint" "Hint: userinfo shows the account." "$out"
expect "the example lesson passes with userinfo" "✓ Done. 1000 at the start, two used: 998." "$out"
out=$(printf '998\n' | learn --dir "$EXAMPLE" 1)
expect "the example lesson passes with the number itself" "✓ Done." "$out"
mkdir -p "$WORK/broken/01-x"
printf '# X\n\n## Task\nDo it.\n' >"$WORK/broken/01-x/lesson.md"
out=$(learn --dir "$WORK/broken" --list); code=$?
[ $code -eq 2 ] && expect "a lesson without check.tms is refused, naming the file" "has no check.tms" "$out" || bad "a broken lesson folder exits 2 (got $code)" "$out"
printf 'this is not tms {\n' >"$WORK/broken/01-x/check.tms"
printf '1\n' >"$WORK/broken/01-x/answer.tms"
out=$(printf '1\n' | learn --dir "$WORK/broken"); code=$?
[ $code -eq 1 ] && expect "a check that does not parse is reported as the lesson's fault" "is broken" "$out" || bad "a broken check exits 1 (got $code)" "$out"

# --- a classroom: tms serve, a key per student, lessons recorded in the account
DB="$WORK/class.sqlite"
alice=$("$TMS" keys add alice --db "$DB" | tail -1)
"$TMS" keys add bob --db "$DB" >/dev/null
"$TMS" serve --port 0 --db "$DB" >"$WORK/serve.out" 2>"$WORK/serve.err" &
SERVER=$!
for _ in $(seq 100); do grep -q listening "$WORK/serve.out" && break; sleep 0.1; done
URL="$(sed -n 's/^listening on //p' "$WORK/serve.out")/v2"
out=$( (cat "$LESSONS/$(printf '%s\n' $names | sed -n 1p)/answer.tms"; echo quit) | TRACKINGMORE_API_KEY=$alice "$TMS" --endpoint "$URL" learn 1 --learner alice 2>&1)
expect "a lesson against --endpoint passes" "✓ Done." "$out"
expect "the lesson's requests went to the class server" "→ GET /v2/trackings/dhl/1234567890" "$out"
report=$("$TMS" class report --db "$DB")
expect "class report shows alice's lesson done" "01-tracking" "$(printf '%s\n' "$report" | grep '^alice')"
expect "class report shows bob with nothing done" "-" "$(printf '%s\n' "$report" | grep '^bob')"
printf '%s\n' "$report" | grep '^alice' | grep -qE '20[0-9]{2}-[0-9]{2}-[0-9]{2}T' && ok "class report shows alice's last activity" || bad "class report shows alice's last activity" "$report"
out=$("$TMS" class seed alice 20 --db "$DB")
expect "class seed adds trackings to one account" "added 20 trackings to the account of 'alice'" "$out"
out=$(TRACKINGMORE_API_KEY=$alice "$TMS" --endpoint "$URL" -c 'list | count')
[ "$out" = "20" ] && ok "alice's account holds the seeded trackings" || bad "alice's account holds 20 trackings" "$out"
"$TMS" class reset alice --lessons --db "$DB" >/dev/null
out=$(TRACKINGMORE_API_KEY=$alice "$TMS" --endpoint "$URL" -c 'list | count')
[ "$out" = "0" ] && ok "class reset empties one account" || bad "class reset empties alice's account" "$out"
report=$("$TMS" class report --db "$DB")
refuse "class reset --lessons forgets the lessons" "01-tracking" "$report"
out=$("$TMS" class reset carol --db "$DB" 2>&1); code=$?
[ $code -eq 2 ] && expect "an unknown student is refused" "no key named 'carol'" "$out" || bad "an unknown student exits 2 (got $code)" "$out"
kill "$SERVER"; wait "$SERVER" 2>/dev/null; SERVER=""

# --- learn in the interactive shell, in a real terminal: every lesson, typed
"$TMS" learn --reset >/dev/null
printf 'set -g history-limit 100000\n' >"$WORK/tmux.conf"
tm -f "$WORK/tmux.conf" new-session -d -s t -x 160 -y 50 "env -i PATH=/usr/bin:/bin TERM=xterm-256color LANG=C.UTF-8 HOME=$WORK USER=tester NO_COLOR=1 XDG_DATA_HOME=$WORK/data XDG_STATE_HOME=$WORK/state XDG_CONFIG_HOME=$WORK/config SWIFT_BACKTRACE=enable=no PAGER=cat bash --norc --noprofile"
wait_for() {
    local deadline=$((SECONDS + ${2:-20}))
    while [ $SECONDS -lt $deadline ]; do
        tm capture-pane -p -t t -S -3000 2>/dev/null | grep -qF -- "$1" && return 0
        sleep 0.1
    done
    return 1
}
seen() { tm capture-pane -p -t t -S -3000 | grep -cF -- "$1"; }
tm send-keys -t t "clear; $TMS --sandbox :memory:" Enter
wait_for "tms[sandbox]>" && ok "the shell starts" || bad "the shell starts" "$(tm capture-pane -p -t t)"
tm send-keys -t t "learn" Enter
wait_for "learn 1>" && ok "learn in the shell starts the first lesson" || bad "learn in the shell starts lesson 1" "$(tm capture-pane -p -t t)"
tm send-keys -t t "list | count" Enter
wait_for "Hint: get takes the carrier code" && ok "in the shell, a wrong answer is refused with the hint" || bad "shell: hint after a wrong try" "$(tm capture-pane -p -t t -S -40)"
tm send-keys -t t "sleep 30s" Enter
sleep 1
tm send-keys -t t C-c
wait_for "interrupted" 10 && ok "in a lesson, Ctrl-C cancels the running command and the lesson goes on" || bad "shell: Ctrl-C in a lesson" "$(tm capture-pane -p -t t -S -20)"
for i in $(seq 1 "$count"); do
    name=$(printf '%s\n' $names | sed -n "${i}p")
    wait_for "learn $i>" 20 || { bad "shell: lesson $i's prompt" "$(tm capture-pane -p -t t -S -40)"; break; }
    while IFS= read -r line; do tm send-keys -t t -l -- "$line"; tm send-keys -t t Enter; done <"$LESSONS/$name/answer.tms"
    deadline=$((SECONDS + 60))
    while [ "$(seen "✓ Done.")" -lt "$i" ] && [ $SECONDS -lt $deadline ]; do sleep 0.2; done
    if [ "$(seen "✓ Done.")" -ge "$i" ]; then
        ok "shell: lesson $i ($name) typed and passed"
    else
        bad "shell: lesson $i ($name) typed and passed" "$(tm capture-pane -p -t t -S -40)"
    fi
done
wait_for "That was the last lesson" && ok "shell: the course ends after the last lesson" || bad "shell: the course ends" "$(tm capture-pane -p -t t -S -20)"
tm send-keys -t t "1 + 41" Enter
wait_for "42" && ok "the shell goes on after the lessons" || bad "the shell goes on after the lessons" "$(tm capture-pane -p -t t -S -20)"
out=$(learn --list)
[ "$(printf '%s\n' "$out" | grep -c '  done ')" -eq "$count" ] && ok "the lessons taken in the shell are remembered" || bad "the shell's lessons are remembered" "$out"

echo "$PASSED passed, $FAILED failed"
[ "$FAILED" -eq 0 ]
