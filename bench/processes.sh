#!/usr/bin/env bash
# Process-tracker figures (a benchmark that prints, not a test; issue #6): builds Release into
# build-procbench/, starts `coalition serve` in a temp dir on a fresh database holding PROCESSES
# processes × MILESTONES milestones (bench/processes_data.py: dates, wall times in 12 zones,
# ranges, every kind), and runs wrk (keep-alive, 2 threads, CONNECTIONS connections, --latency)
# against the iCalendar feed /calendar.ics, the list page /processes, one process page and its
# feed, ROUNDS interleaved rounds, plus the whole feed to one client at a time and a conditional
# GET of the feed (If-None-Match with its ETag, as calendar clients poll) when the server sends
# one. Each feed runs twice: as it is, and with Accept-Encoding: gzip (what
# calendar clients and browsers send; the "-gz" rows), the feed's gzip body kept per revision.
# The list page is sent as it is (see ProcessPages::list); its size gzip'd (level 1) is printed.
# Prints the medians of requests/s, p50 and p99 beside the target (p99 < 20 ms).
# --postgresql runs on a throwaway PostgreSQL cluster (scripts/with-postgres) instead of SQLite.
# Usage: bench/processes.sh [--no-build] [--binary PATH] [--postgresql] [--duration SECONDS]
#          [--rounds N] [--connections N] [--processes N] [--milestones N]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build_dir="$root/build-procbench"
binary="$build_dir/coalition"
build=1
backend=sqlite
duration=10
rounds=3
connections=8
processes=500
milestones=40
args=("$@")
while (($# > 0)); do
  case "$1" in
    --no-build) build=0 ;;
    --binary) binary=$(realpath "$2"); build=0; shift ;;
    --postgresql) backend=postgresql ;;
    --duration) duration=$2; shift ;;
    --rounds) rounds=$2; shift ;;
    --connections) connections=$2; shift ;;
    --processes) processes=$2; shift ;;
    --milestones) milestones=$2; shift ;;
    -h|--help) sed -n '2,15p' "$0"; exit 0 ;;
    *) echo "bench/processes.sh: unknown option $1" >&2; exit 2 ;;
  esac
  shift
done
if [[ $backend == postgresql && -z ${COALITION_TEST_POSTGRES_URL:-} ]]; then
  exec "$root/scripts/with-postgres" "$0" "${args[@]}"
fi
target_p99_ms=20

if ((build)); then
  echo "== building Release ($build_dir)"
  cmake -S "$root" -B "$build_dir" -G Ninja -DCMAKE_CXX_COMPILER_LAUNCHER=ccache \
    -DCMAKE_BUILD_TYPE=Release -DCOALITION_TESTS=OFF >/dev/null
  ninja -C "$build_dir" -j2 coalition >/dev/null
fi
[[ -x "$binary" ]] || { echo "bench/processes.sh: no binary at $binary" >&2; exit 1; }
for tool in wrk curl python3; do
  command -v $tool >/dev/null || { echo "bench/processes.sh: $tool is missing (scripts/install-deps --with-test-tools)" >&2; exit 1; }
done

work=$(mktemp -d /tmp/coalition-processes-bench.XXXXXX)
server_pid=
cleanup() {
  if [[ -n $server_pid ]] && kill -0 "$server_pid" 2>/dev/null; then
    kill -TERM "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
  [[ -n ${KEEP:-} ]] || rm -rf "$work"
}
trap cleanup EXIT
mkdir -p "$work/var"
if [[ $backend == postgresql ]]; then
  database=bench_processes_$$
  psql -h "$COALITION_TEST_POSTGRES_SOCKET_DIR" -U postgres -qc "CREATE DATABASE $database"
  export COALITION_DATABASE_URL="postgresql://postgres@/$database?host=$COALITION_TEST_POSTGRES_SOCKET_DIR"
else
  export COALITION_DATABASE_URL="sqlite:$work/var/coalition.db"
fi
export COALITION_HTTP_LISTEN=127.0.0.1:0 COALITION_LMTP_LISTEN=127.0.0.1:0
export COALITION_MAIL_OUTBOX_DIR="$work/var/mail/outbox"

echo "== loading $processes processes × $milestones milestones ($backend)"
cd "$work"
"$binary" migrate >/dev/null
python3 "$root/bench/processes_data.py" "$processes" "$milestones" "$backend" >"$work/data.sql"
if [[ $backend == postgresql ]]; then
  psql -h "$COALITION_TEST_POSTGRES_SOCKET_DIR" -U postgres -d "$database" -q -v ON_ERROR_STOP=1 \
    -f "$work/data.sql" >/dev/null
else
  python3 -c 'import sqlite3, sys; sqlite3.connect(sys.argv[1], isolation_level=None).executescript(open(sys.argv[2]).read())' \
    "$work/var/coalition.db" "$work/data.sql"
fi

"$binary" serve >"$work/serve.log" 2>&1 &
server_pid=$!
base_url=
for _ in $(seq 300); do
  base_url=$(grep -o 'serving http://[0-9.]*:[0-9]*' "$work/serve.log" | head -1 | cut -d' ' -f2 || true)
  [[ -n $base_url ]] && break
  kill -0 "$server_pid" 2>/dev/null || break
  sleep 0.1
done
if [[ -z $base_url ]]; then
  echo "bench/processes.sh: the server did not start:" >&2
  cat "$work/serve.log" >&2
  exit 1
fi

slug=process-$(printf '%03d' $(( (processes + 1) / 2 )))
endpoints=(/calendar.ics /processes "/processes/$slug" "/processes/$slug/calendar.ics")
for endpoint in "${endpoints[@]}"; do
  status=$(curl -s -o "$work/body" -w '%{http_code}' "$base_url$endpoint")
  if [[ $status != 200 ]]; then
    echo "bench/processes.sh: $endpoint answered $status, not 200; figures would be meaningless" >&2
    exit 1
  fi
  if [[ $endpoint == /calendar.ics ]]; then
    feed_bytes=$(stat -c %s "$work/body")
    feed_events=$(grep -c '^BEGIN:VEVENT' "$work/body" || true)
  elif [[ $endpoint == /processes ]]; then
    list_bytes=$(stat -c %s "$work/body")
  fi
done
etag=$(curl -s -o /dev/null -D - "$base_url/calendar.ics" | awk -F': ' 'tolower($1) == "etag" { sub(/\r$/, "", $2); print $2 }')
feed_gzip_bytes=$(curl -s -H 'Accept-Encoding: gzip' "$base_url/calendar.ics" | wc -c)
list_gzip_bytes=$(curl -s "$base_url/processes" | gzip -1 | wc -c)
conditional_status=
if [[ -n $etag ]]; then
  conditional_status=$(curl -s -o /dev/null -w '%{http_code}' -H "If-None-Match: $etag" "$base_url/calendar.ics")
  [[ $conditional_status == 304 ]] || etag=
fi

source "$root/bench/lib.sh"  # rps_of, latency_ms_of, errors_of, median

# feed-1: the whole feed to one client at a time (what a calendar client that does not revalidate
# waits); feed: CONNECTIONS clients at once, bound by copying 10 MB a response on 2 shared cores.
names=(feed feed-1 feed-gz feed-gz-1 list page page-feed page-feed-gz)
[[ -n $etag ]] && names+=(feed-304)
url_of() {
  case "$1" in
    feed|feed-1|feed-gz|feed-gz-1|feed-304) echo "$base_url/calendar.ics" ;;
    list) echo "$base_url/processes" ;;
    page) echo "$base_url/processes/$slug" ;;
    page-feed|page-feed-gz) echo "$base_url/processes/$slug/calendar.ics" ;;
  esac
}
run_wrk() {  # NAME SECONDS [--latency]
  local name=$1 seconds=$2
  shift 2
  if [[ $name == *-gz* ]]; then
    set -- "$@" -H "Accept-Encoding: gzip"
  fi
  if [[ $name == feed-1 || $name == feed-gz-1 ]]; then
    wrk -t1 -c1 -d"${seconds}s" --timeout 10s "$@" "$(url_of "$name")"
  elif [[ $name == feed-304 ]]; then
    wrk -t2 -c"$connections" -d"${seconds}s" --timeout 10s "$@" -H "If-None-Match: $etag" "$(url_of "$name")"
  else
    wrk -t2 -c"$connections" -d"${seconds}s" --timeout 10s "$@" "$(url_of "$name")"
  fi
}

echo "== warm-up (2 s each)"
for name in "${names[@]}"; do
  run_wrk "$name" 2 >/dev/null
done

declare -A rps_runs p50_runs p99_runs error_runs
echo "== $rounds rounds of wrk -t2 -c$connections -d${duration}s --latency, interleaved"
for round in $(seq "$rounds"); do
  for name in "${names[@]}"; do
    out="$work/wrk-$name-$round.txt"
    run_wrk "$name" "$duration" --latency >"$out"
    rps=$(rps_of "$out")
    p50=$(latency_ms_of "$out" 50%)
    p99=$(latency_ms_of "$out" 99%)
    errors=$(errors_of "$out")
    [[ $name == feed-304 ]] && errors=$(awk '/Socket errors:/ { gsub(/,/, ""); bad += $4 + $6 + $8 + $10 } END { print bad + 0 }' "$out")
    rps_runs[$name]+="$rps "
    p50_runs[$name]+="$p50 "
    p99_runs[$name]+="$p99 "
    error_runs[$name]=$(( ${error_runs[$name]:-0} + errors ))
    printf '   round %d %-9s %9.1f req/s  p50 %8.2f ms  p99 %8.2f ms  errors %d\n' \
      "$round" "$name" "$rps" "$p50" "$p99" "$errors"
  done
done

verdict() { if (($1)); then echo MET; else echo MISSED; fi; }

echo
echo "== Coalition process-tracker benchmark ($(date -u +%Y-%m-%dT%H:%MZ))"
echo "machine: $(nproc) cores ($(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)), wrk shares them"
echo "server:  $("$binary" --version 2>/dev/null | head -1), $backend, $processes processes × $milestones milestones"
printf 'feed:    %d events, %.1f MB (gzip %.0f kB); list page %.0f kB (%.0f kB as gzip); ETag %s\n' "$feed_events" \
  "$(awk -v b="$feed_bytes" 'BEGIN { print b / 1048576 }')" \
  "$(awk -v b="$feed_gzip_bytes" 'BEGIN { print b / 1024 }')" \
  "$(awk -v b="$list_bytes" 'BEGIN { print b / 1024 }')" \
  "$(awk -v b="$list_gzip_bytes" 'BEGIN { print b / 1024 }')" \
  "$([[ -n $etag ]] && echo "$etag (If-None-Match → $conditional_status)" || echo none)"
echo
printf '%-10s %-42s %9s %9s %9s   %s\n' name endpoint 'req/s' 'p50 ms' 'p99 ms' "p99 < $target_p99_ms ms"
for name in "${names[@]}"; do
  rps=$(median ${rps_runs[$name]})
  p50=$(median ${p50_runs[$name]})
  p99=$(median ${p99_runs[$name]})
  # No request answered within wrk's 10 s timeout: wrk prints zeros, which is no figure.
  ok=$(awk -v p="$p99" -v r="$rps" -v t="$target_p99_ms" 'BEGIN { print (r > 0 && p < t) ? 1 : 0 }')
  endpoint=$(url_of "$name")
  endpoint=${endpoint#"$base_url"}
  [[ $name == feed-304 ]] && endpoint="$endpoint (If-None-Match)"
  [[ $name == feed-1 || $name == feed-gz-1 ]] && endpoint="$endpoint (1 connection)"
  [[ $name == *-gz* ]] && endpoint="$endpoint gzip"
  printf '%-10s %-42s %9.1f %9.2f %9.2f   %s\n' "$name" "$endpoint" "$rps" "$p50" "$p99" "$(verdict "$ok")"
  if [[ $rps == 0.0 ]]; then
    echo "           ! no response within wrk's 10 s timeout"
  fi
  if ((${error_runs[$name]} > 0)); then
    echo "           ! ${error_runs[$name]} non-2xx responses or socket errors during $name runs"
  fi
done

kill -TERM "$server_pid"
wait "$server_pid" || echo "server exited $? on SIGTERM" >&2
server_pid=
if [[ $backend == postgresql ]]; then
  psql -h "$COALITION_TEST_POSTGRES_SOCKET_DIR" -U postgres -qc "DROP DATABASE $database" || true
fi
