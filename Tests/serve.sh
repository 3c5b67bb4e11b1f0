#!/usr/bin/env bash
# End-to-end checks of `tms serve` and `tms keys` with curl against 127.0.0.1:
#
#   Tests/serve.sh PATH_TO_TMS
#
# Starts a server on a free port with a temporary database, checks its answers, stops it with
# SIGTERM. Prints one line per check and, last, "N passed, M failed"; exits 1 on a failure.
set -u
TMS="$(cd "$(dirname "$1")" && pwd)/$(basename "$1")"
WORK="$(mktemp -d "${TMPDIR:-/tmp}/tms-serve.XXXXXX")"
SERVER=""
cleanup() {
    [ -n "$SERVER" ] && kill "$SERVER" 2>/dev/null
    rm -rf "$WORK"
}
trap cleanup EXIT
export SWIFT_BACKTRACE=enable=no
PASSED=0
FAILED=0
check() { # check NAME EXPECTED ACTUAL: ACTUAL contains EXPECTED
    if [[ "$3" == *"$2"* ]]; then
        PASSED=$((PASSED + 1)); echo "ok    $1"
    else
        FAILED=$((FAILED + 1)); echo "FAIL  $1"; printf '      | expected: %s\n      | got: %s\n' "$2" "${3:0:300}"
    fi
}

DB="$WORK/serve.sqlite"
ALICE=$(timeout 20 "$TMS" keys add alice --db "$DB" </dev/null | tail -n 1)
BOB=$(timeout 20 "$TMS" keys add bob --db "$DB" </dev/null | tail -n 1)
check "keys add prints the key alone on the last line" "tms_" "$ALICE"
check "keys list names the keys, not the keys" "alice	active" "$(timeout 20 "$TMS" keys list --db "$DB" </dev/null)"
DUP=$(timeout 20 "$TMS" keys add alice --db "$DB" </dev/null 2>&1; echo "rc=$?")
check "a second key with the same name is refused with exit 2" "rc=2" "$DUP"
LIST=$(timeout 20 "$TMS" keys list --db "$DB" </dev/null)
[[ "$LIST" == *"$ALICE"* ]] && check "the key is never listed" "no" "yes" || check "the key is never listed" "ok" "ok"

"$TMS" serve --port 0 --db "$DB" </dev/null >"$WORK/out" 2>"$WORK/err" &
SERVER=$!
for _ in $(seq 1 100); do grep -q "listening on" "$WORK/out" 2>/dev/null && break; sleep 0.1; done
LINE=$(cat "$WORK/out")
check "serve prints 'listening on http://HOST:PORT' when ready" "listening on http://127.0.0.1:" "$LINE"
BASE="${LINE#listening on }/v2"

req() { # req KEY METHOD PATH [BODY]
    local key=$1 method=$2 path=$3
    shift 3
    curl -s -m 20 -X "$method" -H "Trackingmore-Api-Key: $key" -H "Content-Type: application/json" "$BASE$path" "$@"
}
status() { curl -s -m 20 -o /dev/null -w "%{http_code}" "$@"; }

check "create answers the API's envelope" '"meta":{"code":200,"type":"Success","message":"Success"}' \
    "$(req "$ALICE" POST /trackings/post -d '{"tracking_number":"RR123456785CN","carrier_code":"china-post"}')"
check "a duplicate is 4016" '"code":4016' "$(req "$ALICE" POST /trackings/post -d '{"tracking_number":"RR123456785CN","carrier_code":"china-post"}')"
check "the key's own tracking is there" '"total":"1"' "$(req "$ALICE" GET /trackings/get)"
check "another key does not see it" '"code":4017' "$(req "$BOB" GET /trackings/china-post/RR123456785CN)"
check "an unknown key is 4001" '"code":4001' "$(req tms_nope GET /trackings/get)"
check "no key is 4001" '"code":4001' "$(curl -s -m 20 "$BASE/trackings/get")"
check "malformed JSON is 4012" '"code":4012' "$(req "$ALICE" POST /trackings/post -d '{oops')"
check "a wrong JSON type is 4012" '"code":4012' "$(req "$ALICE" POST /trackings/batch -d '{"a":1}')"
check "an unknown path is 404 in meta" '"code":404' "$(req "$ALICE" GET /nothing/here)"
check "a wrong method is 405 in meta" '"code":405' "$(req "$ALICE" PATCH /trackings/get)"
BIG=$(python3 -c "print('[' + ','.join(['{\"tracking_number\":\"1Z999AA1012345678%d\",\"carrier_code\":\"ups\"}' % (i % 10) for i in range(41)]) + ']')")
check "an over-limit batch is refused" '"code":4020' "$(req "$ALICE" POST /trackings/batch -d "$BIG")"
check "PUT with an empty body is fine" '"code":200' "$(req "$ALICE" PUT /trackings/china-post/RR123456785CN)"
check "DELETE with an empty body is fine" '"code":200' "$(req "$ALICE" DELETE /trackings/china-post/RR123456785CN)"
head -c 2000000 /dev/zero | tr '\0' a >"$WORK/big"
check "a body over the limit is refused" '"code":4012' "$(req "$ALICE" POST /trackings/post --data-binary @"$WORK/big")"
check "errors come with HTTP 200" "200" "$(status -H "Trackingmore-Api-Key: nope" "$BASE/trackings/get")"
check "the request log masks the key" "key=••••${ALICE: -4}" "$(cat "$WORK/err")"
if grep -q "$ALICE" "$WORK/err" "$WORK/out"; then check "the key never appears in the log" "no" "key found"; else check "the key never appears in the log" "x" "x"; fi

# A write acknowledged before SIGTERM is on disk after it.
req "$ALICE" POST /trackings/post -d '{"tracking_number":"1Z999AA10123456784","carrier_code":"ups"}' >/dev/null
kill -TERM "$SERVER"
for _ in $(seq 1 100); do kill -0 "$SERVER" 2>/dev/null || break; sleep 0.1; done
if kill -0 "$SERVER" 2>/dev/null; then check "SIGTERM stops the server" "stopped" "still running"; else check "SIGTERM stops the server" "x" "x"; fi
wait "$SERVER" 2>/dev/null
SERVER=""
"$TMS" serve --port 0 --db "$DB" </dev/null >"$WORK/out2" 2>/dev/null &
SERVER=$!
for _ in $(seq 1 100); do grep -q "listening on" "$WORK/out2" 2>/dev/null && break; sleep 0.1; done
BASE="$(sed 's/listening on //' "$WORK/out2")/v2"
check "the acknowledged write survived the restart" '"tracking_number":"1Z999AA10123456784"' "$(req "$ALICE" GET /trackings/ups/1Z999AA10123456784)"
timeout 20 "$TMS" keys revoke alice --db "$DB" </dev/null >/dev/null
check "a revoked key is 4002" '"code":4002' "$(req "$ALICE" GET /trackings/get)"

echo "$PASSED passed, $FAILED failed"
[ "$FAILED" -eq 0 ]
