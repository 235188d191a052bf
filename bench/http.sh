#!/usr/bin/env bash
# HTTP throughput figures (a benchmark that prints, not a test): builds Release, starts
# `coalition serve` on SQLite with the demo data in a temp dir on a free port, and runs wrk
# (keep-alive, 2 threads, 64 connections, 10 s, three interleaved rounds) against /healthz, the
# home page and the Members page. Prints the medians beside the targets of issue #2.
# Usage: bench/http.sh [--no-build] [--binary PATH] [--duration SECONDS] [--rounds N]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
binary="$root/build/coalition"
build=1
duration=10
rounds=3
while (($# > 0)); do
  case "$1" in
    --no-build) build=0 ;;
    --binary) binary=$(realpath "$2"); build=0; shift ;;
    --duration) duration=$2; shift ;;
    --rounds) rounds=$2; shift ;;
    -h|--help) sed -n '2,7p' "$0"; exit 0 ;;
    *) echo "bench/http.sh: unknown option $1" >&2; exit 2 ;;
  esac
  shift
done

endpoints=(/healthz / /members)
target_rps=20000       # Each page, requests/s.
target_ratio=50        # Each page, % of the trivial endpoint's rate.
target_p99_ms=10       # Each page.
target_rss_kb=$((30 * 1024))

if ((build)); then
  echo "== building Release (make build)"
  make -C "$root" build >/dev/null
fi
[[ -x "$binary" ]] || { echo "bench/http.sh: no binary at $binary" >&2; exit 1; }
command -v wrk >/dev/null || { echo "bench/http.sh: wrk is missing (apt-get install wrk)" >&2; exit 1; }

work=$(mktemp -d /tmp/coalition-bench.XXXXXX)
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
export COALITION_DATABASE_URL="sqlite:$work/var/coalition.db"
export COALITION_HTTP_LISTEN=127.0.0.1:0
export COALITION_LMTP_LISTEN=127.0.0.1:0
export COALITION_MAIL_OUTBOX_DIR="$work/var/mail/outbox"
(cd "$work" && "$binary" migrate >/dev/null && "$binary" demo load >/dev/null)

cd "$work"
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
  echo "bench/http.sh: the server did not start:" >&2
  cat "$work/serve.log" >&2
  exit 1
fi

rss_kb() { awk '/^VmRSS:/ { print $2 }' "/proc/$server_pid/status"; }
hwm_kb() { awk '/^VmHWM:/ { print $2 }' "/proc/$server_pid/status"; }

for endpoint in "${endpoints[@]}"; do
  status=$(curl -s -o /dev/null -w '%{http_code}' "$base_url$endpoint")
  if [[ $status != 200 ]]; then
    echo "bench/http.sh: $endpoint answered $status, not 200; figures would be meaningless" >&2
    exit 1
  fi
done
idle_before=$(rss_kb)

# "Requests/sec: 12345.67" and the --latency line "99%  1.23ms" (us, ms or s).
rps_of() { awk '/^Requests\/sec:/ { printf "%d", $2 }' "$1"; }
p99_ms_of() {
  awk '$1 == "99%" {
    value = $2
    if (value ~ /us$/) { sub(/us$/, "", value); value /= 1000 }
    else if (value ~ /ms$/) { sub(/ms$/, "", value) }
    else if (value ~ /s$/) { sub(/s$/, "", value); value *= 1000 }
    printf "%.2f", value
  }' "$1"
}
errors_of() {
  awk '/Non-2xx or 3xx responses:/ { bad += $NF } /Socket errors:/ { gsub(/,/, ""); bad += $4 + $6 + $8 + $10 }
       END { print bad + 0 }' "$1"
}
median() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
name_of() { [[ $1 == / ]] && echo home || echo "${1#/}"; }

echo "== warm-up (2 s each)"
for endpoint in "${endpoints[@]}"; do
  wrk -t2 -c64 -d2s "$base_url$endpoint" >/dev/null
done

declare -A rps_runs p99_runs error_runs
echo "== $rounds rounds of wrk -t2 -c64 -d${duration}s --latency, interleaved"
for round in $(seq "$rounds"); do
  for endpoint in "${endpoints[@]}"; do
    name=$(name_of "$endpoint")
    out="$work/wrk-$name-$round.txt"
    wrk -t2 -c64 -d"${duration}s" --latency "$base_url$endpoint" >"$out"
    rps=$(rps_of "$out")
    p99=$(p99_ms_of "$out")
    errors=$(errors_of "$out")
    rps_runs[$name]+="$rps "
    p99_runs[$name]+="$p99 "
    error_runs[$name]=$(( ${error_runs[$name]:-0} + errors ))
    printf '   round %d %-8s %8d req/s  p99 %7.2f ms  errors %d\n' "$round" "$name" "$rps" "$p99" "$errors"
  done
done

# Idle again: let in-flight work and keep-alive connections drain first.
sleep 2
idle_after=$(rss_kb)
peak=$(hwm_kb)

verdict() { if (($1)); then echo PASS; else echo MISS; fi; }

echo
echo "== Coalition HTTP benchmark ($(date -u +%Y-%m-%dT%H:%MZ))"
echo "machine: $(nproc) cores ($(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)), wrk shares them"
echo "server:  $("$binary" --version 2>/dev/null | head -1), SQLite, demo data"
echo
healthz_rps=$(median ${rps_runs[healthz]})
printf '%-9s %10s %9s %8s   %-22s %-18s %-14s\n' endpoint 'req/s' 'p99 ms' 'ratio' \
  "target >= $target_rps/s" "ratio >= $target_ratio%" "p99 < $target_p99_ms ms"
for endpoint in "${endpoints[@]}"; do
  name=$(name_of "$endpoint")
  rps=$(median ${rps_runs[$name]})
  p99=$(median ${p99_runs[$name]})
  ratio=$((healthz_rps > 0 ? rps * 100 / healthz_rps : 0))
  if [[ $name == healthz ]]; then
    printf '%-9s %10d %9.2f %7d%%   %-22s %-18s %-14s\n' "$name" "$rps" "$p99" "$ratio" '(baseline)' '' ''
  else
    p99_ok=$(awk -v p="$p99" -v t="$target_p99_ms" 'BEGIN { print (p < t) ? 1 : 0 }')
    printf '%-9s %10d %9.2f %7d%%   %-22s %-18s %-14s\n' "$name" "$rps" "$p99" "$ratio" \
      "$(verdict $((rps >= target_rps)))" "$(verdict $((ratio >= target_ratio)))" "$(verdict "$p99_ok")"
  fi
  if ((${error_runs[$name]} > 0)); then
    echo "          ! ${error_runs[$name]} non-2xx responses or socket errors during $name runs"
  fi
done
echo
printf 'idle RSS before load: %6.1f MB   target < 30 MB: %s\n' "$(awk -v k="$idle_before" 'BEGIN { print k / 1024 }')" \
  "$(verdict $((idle_before < target_rss_kb)))"
printf 'idle RSS after load:  %6.1f MB   target < 30 MB: %s\n' "$(awk -v k="$idle_after" 'BEGIN { print k / 1024 }')" \
  "$(verdict $((idle_after < target_rss_kb)))"
printf 'peak RSS (VmHWM):     %6.1f MB\n' "$(awk -v k="$peak" 'BEGIN { print k / 1024 }')"

kill -TERM "$server_pid"
if wait "$server_pid"; then
  echo "server stopped on SIGTERM with exit 0"
else
  echo "server exited $? on SIGTERM" >&2
fi
server_pid=
