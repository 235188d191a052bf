#!/usr/bin/env bash
# Statement sign-on figures (a benchmark that prints, not a test). For each backend (SQLite with
# synchronous=FULL, then a throwaway PostgreSQL 15 from scripts/with-postgres) it starts
# `coalition serve` on a free port with a published statement, then:
#   1. unique sign-ups over HTTP (wrk + bench/lua/signup.lua → POST /api/v1/signatures, 202 each,
#      confirmation mails queued in the outbox: the relay is a closed port, so nothing is sent);
#   2. confirmations (wrk + bench/lua/confirm.lua → POST /statement/confirm/TOKEN, the tokens read
#      back from the queued mails);
#   3. fills up to 100,000 published signatures the same way, then the public list page
#      /statement/signatories (wrk --latency, p99);
# and finally runs bench/log.sh (log append rate, inclusion proof at 1,000,000 leaves).
# Prints sustained rates and p99 latencies beside the targets of issue #3.
# Usage: bench/signon.sh [--no-build] [--backend sqlite|postgresql|both] [--duration S] [--signatures N]
#                        [--write-threads N]
# --write-threads sets COALITION_HTTP_WRITE_THREADS (default: the server's, 64). Each sign-up holds
# a write thread until its commit, so the count bounds how many sign-ups one group commit takes.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
binary="$root/build/coalition"
build=1
backend=both
duration=10
fill_to=100000
write_threads=
while (($# > 0)); do
  case "$1" in
    --no-build) build=0 ;;
    --binary) binary=$(realpath "$2"); build=0; shift ;;
    --backend) backend=$2; shift ;;
    --duration) duration=$2; shift ;;
    --signatures) fill_to=$2; shift ;;
    --write-threads) write_threads=$2; shift ;;
    -h|--help) sed -n '2,16p' "$0"; exit 0 ;;
    *) echo "bench/signon.sh: unknown option $1" >&2; exit 2 ;;
  esac
  shift
done

if ((build)); then
  echo "== building Release (make build)"
  make -C "$root" build >/dev/null
fi
[[ -x "$binary" ]] || { echo "bench/signon.sh: no binary at $binary" >&2; exit 1; }
command -v wrk >/dev/null || { echo "bench/signon.sh: wrk is missing" >&2; exit 1; }

if [[ -n $write_threads ]]; then
  export COALITION_HTTP_WRITE_THREADS=$write_threads
fi
if [[ $backend == both ]]; then
  "$0" --no-build --binary "$binary" --backend sqlite --duration "$duration" --signatures "$fill_to"
  "$root/scripts/with-postgres" "$0" --no-build --binary "$binary" --backend postgresql \
    --duration "$duration" --signatures "$fill_to"
  if [[ -x "$root/bench/log.sh" ]]; then
    "$root/bench/log.sh"
  fi
  exit 0
fi

work=$(mktemp -d /tmp/coalition-signon-bench.XXXXXX)
server_pid=
cleanup() {
  if [[ -n $server_pid ]] && kill -0 "$server_pid" 2>/dev/null; then
    kill -TERM "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT
mkdir -p "$work/var"
if [[ $backend == postgresql ]]; then
  [[ -n ${COALITION_TEST_POSTGRES_URL:-} ]] || { echo "bench/signon.sh: run PostgreSQL under scripts/with-postgres" >&2; exit 1; }
  export COALITION_DATABASE_URL="$COALITION_TEST_POSTGRES_URL"
else
  export COALITION_DATABASE_URL="sqlite:$work/var/coalition.db"
fi
export COALITION_HTTP_LISTEN=127.0.0.1:0
export COALITION_LMTP_LISTEN=127.0.0.1:0
export COALITION_MAIL_RELAY=smtp://127.0.0.1:9   # Closed: mail stays queued.
export COALITION_SIGNON_PER_ADDRESS_PER_HOUR=1000000
export COALITION_SIGNON_PER_DOMAIN_PER_HOUR=1000000
export COALITION_SIGNON_LOG_KEY="$work/var/log.key"
cd "$work"
"$binary" migrate >/dev/null
printf '# Statement of Purpose\n\nA benchmark text.\n' >statement.md
"$binary" statement publish --file statement.md >/dev/null

"$binary" serve >"$work/serve.log" 2>&1 &
server_pid=$!
base_url=
for _ in $(seq 300); do
  base_url=$(grep -o 'serving http://[0-9.]*:[0-9]*' "$work/serve.log" | head -1 | cut -d' ' -f2 || true)
  [[ -n $base_url ]] && break
  kill -0 "$server_pid" 2>/dev/null || break
  sleep 0.1
done
[[ -n $base_url ]] || { echo "bench/signon.sh: the server did not start:" >&2; cat "$work/serve.log" >&2; exit 1; }

sql() {
  if [[ $backend == postgresql ]]; then
    psql -qAt "$COALITION_DATABASE_URL" -c "$1"
  else
    sqlite3 "$work/var/coalition.db" "$1"
  fi
}
count_status() { sql "SELECT count(*) FROM signatures WHERE status = '$1'"; }

# Requests/s and p99 (ms) from wrk's --latency output.
wrk_rate() { awk '/^Requests\/sec:/ { printf "%d", $2 }' "$1"; }
wrk_p99() {
  awk '$1 == "99%" { v = $2; if (v ~ /us$/) { sub(/us/, "", v); v /= 1000 } else if (v ~ /ms$/) { sub(/ms/, "", v) } else if (v ~ /s$/) { sub(/s/, "", v); v *= 1000 } printf "%.2f", v }' "$1"
}
wrk_errors() { awk '/Non-2xx|Socket errors/ { print }' "$1"; }

run=0
signup() {  # $1 seconds
  run=$((run + 1))
  BENCH_RUN="$backend$run" wrk -t2 -c64 -d"$1"s --latency -s "$root/bench/lua/signup.lua" "$base_url" >"$work/signup.$run.txt"
}

# Tokens of pending signatures, from the confirmation mails still queued in the outbox.
extract_tokens() {
  # A queued mail is either composed (bytes) or still a draft composed when sent (draft, JSON).
  sql "SELECT bytes || draft FROM mail_outbox WHERE subject LIKE '%onfirm%'" | python3 -c '
import quopri, re, sys
text = sys.stdin.read().replace("=\r\n", "").replace("=\n", "")
seen = set()
for token in re.findall(r"/statement/confirm/([A-Za-z0-9_-]{20,})", text):
    if token not in seen:
        seen.add(token)
        print(token)
' >"$work/tokens.all"
  # Only tokens not used yet: the server answers "already confirmed" to the others, cheaply, but
  # they would not count as confirmations.
  comm -23 <(sort "$work/tokens.all") <(sort "$work/tokens.used" 2>/dev/null || true) >"$work/tokens"
  cat "$work/tokens" >>"$work/tokens.used"
  wc -l <"$work/tokens"
}

csrf_session() {
  local token
  token=$(head -1 "$work/tokens")
  curl -s -c "$work/cookies" "$base_url/statement/confirm/$token" >"$work/confirm.html"
  BENCH_CSRF=$(grep -o 'name="_csrf" value="[^"]*"' "$work/confirm.html" | head -1 | sed 's/.*value="//; s/"$//')
  BENCH_COOKIE=$(awk '$6 == "anon" { print "anon=" $7 }' "$work/cookies")
  export BENCH_CSRF BENCH_COOKIE
  [[ -n $BENCH_CSRF && -n $BENCH_COOKIE ]] || { echo "bench/signon.sh: no CSRF token on the confirm page" >&2; exit 1; }
}

confirm_all() {  # confirms every token in $work/tokens; prints the rate
  local n seconds
  n=$(wc -l <"$work/tokens")
  ((n > 0)) || return 0
  csrf_session
  seconds=$(( n / 2000 + 2 ))
  BENCH_TOKENS="$work/tokens" BENCH_THREADS=2 wrk -t2 -c64 -d"$seconds"s --latency -s "$root/bench/lua/confirm.lua" "$base_url" >"$work/confirm.$run.txt"
}

echo "== $backend: ${duration} s of unique sign-ups over HTTP"
signup "$duration"
signup_rate=$(wrk_rate "$work/signup.$run.txt"); signup_p99=$(wrk_p99 "$work/signup.$run.txt")
wrk_errors "$work/signup.$run.txt"
pending=$(count_status pending)
echo "   sign-ups: $signup_rate/s, p99 $signup_p99 ms; $pending pending signatures stored"

echo "== $backend: confirmations"
tokens=$(extract_tokens)
start=$(date +%s.%N)
confirm_all
end=$(date +%s.%N)
confirm_p99=$(wrk_p99 "$work/confirm.$run.txt")
published=$(count_status published)
confirm_rate=$(python3 -c "print(int($published / ($end - $start)))")
echo "   $tokens tokens; $published published in $(python3 -c "print(round($end - $start, 1))") s: ~$confirm_rate confirmations/s, p99 $confirm_p99 ms"

echo "== $backend: filling to $fill_to published signatures"
while (( $(count_status published) < fill_to )); do
  missing=$(( fill_to - $(count_status published) ))
  signup $(( missing / 3000 + 2 ))
  extract_tokens >/dev/null
  confirm_all
done
echo "   $(count_status published) published"

echo "== $backend: the public list page at $(count_status published) signatures"
curl -s -o /dev/null -w '   GET /statement/signatories → %{http_code}\n' "$base_url/statement/signatories"
wrk -t2 -c16 -d"$duration"s --latency "$base_url/statement/signatories" >"$work/list.txt"
list_rate=$(wrk_rate "$work/list.txt"); list_p99=$(wrk_p99 "$work/list.txt")
wrk_errors "$work/list.txt"
wrk -t2 -c16 -d"$duration"s --latency "$base_url/statement/signatories?page=1000&sort=name" >"$work/list-deep.txt"
deep_p99=$(wrk_p99 "$work/list-deep.txt")
rss=$(awk '/^VmHWM:/ { print $2 }' "/proc/$server_pid/status")

printf '\n%-44s %14s %14s\n' "figure ($backend)" "measured" "target"
printf '%-44s %14s %14s\n' "sign-ups/s (202, confirmation queued)" "$signup_rate" "≥ 5000"
printf '%-44s %14s %14s\n' "sign-up p99 (ms)" "$signup_p99" ""
printf '%-44s %14s %14s\n' "confirmations/s" "$confirm_rate" ""
printf '%-44s %14s %14s\n' "confirm p99 (ms)" "$confirm_p99" ""
printf '%-44s %14s %14s\n' "list page p99 (ms), first page" "$list_p99" "< 20"
printf '%-44s %14s %14s\n' "list page p99 (ms), page 1000 by name" "$deep_p99" "< 20"
printf '%-44s %14s %14s\n' "list page requests/s" "$list_rate" ""
printf '%-44s %14s %14s\n' "server peak RSS (MB)" "$((rss / 1024))" ""
printf '%-44s %14s %14s\n' "HTTP write threads" "${COALITION_HTTP_WRITE_THREADS:-default}" ""
