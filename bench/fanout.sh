#!/usr/bin/env bash
# Mailing-list fan-out figures (a benchmark that prints, not a test; issue #4). For each size
# (default 10,000 and 100,000 members) and each mode (personalised: one VERP transaction and
# personal List-Unsubscribe a member, the default; bulk: `[lists] delivery = "bulk"`, many RCPT a
# transaction) one post is handed over LMTP (python3 smtplib.LMTP, as an MTA would) to
#   coalition  `coalition serve` (Release, SQLite in a temp dir, the list made with
#              `coalition list create` and `coalition list add-members --no-welcome`, [mail] relay
#              = Postfix's smtp-sink on a free loopback port, [lmtp] listen on a free port);
#   mailman    GNU Mailman 3 from Debian on the same work (bench/peers/mailman.sh);
# and the raw ceiling, smtp-source → smtp-sink for the same messages (bench/peers/raw.sh).
# Each is timed from the injection until the sink has counted every recipient, with the CPU time
# (utime+stime from /proc) and peak RSS (VmHWM) of the server's processes. Prints the medians and
# the ratios beside the targets: ≥ 10× Mailman's throughput in each mode, within 2× of the raw
# ceiling, peak RSS < 200 MB at 100,000 members.
# Usage: bench/fanout.sh [--no-build] [--binary PATH] [--quick] [--runs N] [--mailman-runs N]
#                        [--no-mailman] [--mailman-max MEMBERS] [--mode personalised|bulk|both]
#                        [MEMBERS...]
#   --mailman-max M  skip Mailman above M members (it needs ~33 ms of CPU a personalised
#                recipient here: 100,000 members take over an hour)
#   --quick      = 1,000 members, one run each (a look in about 2 minutes)
#   --runs N     runs of ours and of the raw ceiling for sizes up to 10,000 (median; default 3;
#                one run above); Mailman runs once a size unless --mailman-runs (it is slow).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=bench/peers/common.sh
source "$root/bench/peers/common.sh"

binary="$root/build/coalition"
build=1
sizes=()
runs=3
mailman_runs=1
mailman=1
mailman_max=
modes=(personalised bulk)
while (($# > 0)); do
  case "$1" in
    --no-build) build=0 ;;
    --binary) binary=$(realpath "$2"); build=0; shift ;;
    --quick) sizes=(1000); runs=1 ;;
    --runs) runs=$2; shift ;;
    --mailman-runs) mailman_runs=$2; shift ;;
    --no-mailman) mailman=0 ;;
    --mailman-max) mailman_max=$2; shift ;;
    --mode) [[ $2 == both ]] && modes=(personalised bulk) || modes=("$2"); shift ;;
    -h|--help) sed -n '2,23p' "$0"; exit 0 ;;
    [0-9]*) sizes+=("$1") ;;
    *) echo "bench/fanout.sh: unknown option $1" >&2; exit 2 ;;
  esac
  shift
done
((${#sizes[@]} > 0)) || sizes=(10000 100000)
mode_arg=both
((${#modes[@]} == 1)) && mode_arg=${modes[0]}

if ! command -v smtp-sink >/dev/null || { ((mailman)) && [[ ! -x /usr/lib/mailman3/bin/master ]]; }; then
  "$root/scripts/install-deps" --with-bench
fi
bench_need_postfix_tools
if ((build)); then
  echo "== building Release (make build)"
  make -C "$root" build >/dev/null
fi
[[ -x "$binary" ]] || { echo "bench/fanout.sh: no binary at $binary" >&2; exit 1; }

work=$(mktemp -d /tmp/coalition-fanout-bench.XXXXXX)
server_pid=
stop_server() {
  if [[ -n $server_pid ]] && kill -0 "$server_pid" 2>/dev/null; then
    kill -TERM "$server_pid" 2>/dev/null || true
    for _ in $(seq 100); do kill -0 "$server_pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
  server_pid=
}
cleanup() {
  stop_server
  bench_waiter_stop
  bench_sink_stop
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
results="$work/results.txt"
: >"$results"

list=bench@lists.example.org
author=member000001@host01.example.net

export COALITION_HTTP_LISTEN=127.0.0.1:0
export COALITION_LMTP_LISTEN=127.0.0.1:0
export COALITION_SITE_BASE_URL=http://lists.example.org
unset COALITION_LISTS_DELIVERY COALITION_MAIL_RELAY

# prepare_ours SIZE: a database with the list and its members, copied for each run.
prepare_ours() {
  local size=$1 dir="$work/ours-$1/template"
  mkdir -p "$dir/var"
  bench_members_file "$size" "$work/ours-$size/members.txt"
  (
    cd "$dir"
    export COALITION_DATABASE_URL="sqlite:$dir/var/coalition.db"
    export COALITION_MAIL_OUTBOX_DIR="$dir/var/mail/outbox"
    "$binary" migrate >/dev/null
    "$binary" list create "$list" --owner owner@lists.example.org >/dev/null
    local t0
    t0=$(bench_now)
    "$binary" list add-members bench --file "$work/ours-$size/members.txt" --no-welcome >/dev/null
    echo "   $size members added in $(bench_seconds "$t0" "$(bench_now)") s (coalition list add-members)"
  )
}

# settle PID: until the process stops using CPU (start-up is not measured).
settle() {
  local before after
  for _ in $(seq 40); do
    before=$(bench_cpu_ticks "$1")
    sleep 0.25
    after=$(bench_cpu_ticks "$1")
    ((after - before <= 1)) && return 0
  done
}

# run_ours SIZE MODE RUN: one measured fan-out; appends to the walls/cpus/rsss arrays.
run_ours() {
  local size=$1 mode=$2 run=$3 dir="$work/ours-$1/run-$2-$3" lmtp_port='' t0 wall cpu0 cpu rss inject
  cp -a "$work/ours-$size/template" "$dir"
  bench_sink_start "$dir/sink" "$mode"
  (
    cd "$dir"
    export COALITION_DATABASE_URL="sqlite:$dir/var/coalition.db"
    export COALITION_MAIL_OUTBOX_DIR="$dir/var/mail/outbox"
    export COALITION_MAIL_RELAY="smtp://127.0.0.1:$bench_sink_port"
    export COALITION_LISTS_DELIVERY="$mode"
    exec "$binary" serve >"$dir/serve.log" 2>&1
  ) &
  server_pid=$!
  for _ in $(seq 300); do
    # The start-up line may be read while it is being written: only a whole line counts.
    if grep -q 'serving http.*)$' "$dir/serve.log"; then
      lmtp_port=$(grep -o 'LMTP 127.0.0.1:[0-9]*' "$dir/serve.log" | head -1 | cut -d: -f2 || true)
      break  # Started, with or without LMTP.
    fi
    kill -0 "$server_pid" 2>/dev/null || break
    sleep 0.1
  done
  if [[ -z $lmtp_port ]]; then
    echo "bench/fanout.sh: the server did not start with LMTP:" >&2
    cat "$dir/serve.log" >&2
    return 1
  fi
  settle "$server_pid"
  cpu0=$(bench_cpu_ticks "$server_pid")
  bench_post_file "$list" "$author" "$dir/post.eml"
  bench_waiter_start "$mode" "$size" $((60 + size / 100))
  t0=$(bench_now)
  if ! "$bench_python" "$root/bench/peers/lmtp_inject.py" 127.0.0.1 "$lmtp_port" "$author" "$list" "$dir/post.eml"; then
    echo "bench/fanout.sh: the server refused the post over LMTP ($mode)" >&2
    return 1
  fi
  inject=$(bench_seconds "$t0" "$(bench_now)")
  if ! bench_waiter_finish; then
    echo "bench/fanout.sh: the sink counted ${bench_got:-0} of $size recipients ($mode); server log:" >&2
    tail -30 "$dir/serve.log" >&2
    return 1
  fi
  wall=$(bench_seconds "$t0" "$bench_done_at")
  cpu=$(bench_ticks_to_seconds $(($(bench_cpu_ticks "$server_pid") - cpu0)))
  rss=$(bench_hwm_kb "$server_pid")
  stop_server
  bench_sink_stop
  printf '   coalition %-12s %7d members, run %d: %8.3f s  %7s recipients/s  CPU %6.2f s  RSS %6.1f MB  (LMTP 250 after %s s)\n' \
    "$mode" "$size" "$run" "$wall" "$(bench_rate "$size" "$wall")" "$cpu" \
    "$(awk -v k="$rss" 'BEGIN { print k / 1024 }')" "$inject"
  walls+=("$wall") cpus+=("$cpu") rsss+=("$rss")
  rm -rf "$dir"
}

ours_ok=1
for size in "${sizes[@]}"; do
  n=$runs
  ((size > 10000)) && n=1
  echo "== $size members: coalition ($("$binary" --version 2>/dev/null | head -1))"
  if prepare_ours "$size"; then
    for mode in "${modes[@]}"; do
      walls=() cpus=() rsss=()
      for run in $(seq "$n"); do
        if ! run_ours "$size" "$mode" "$run"; then
          ours_ok=0
          stop_server
          bench_waiter_stop
          bench_sink_stop
          break
        fi
      done
      if ((${#walls[@]} > 0)); then
        echo "RESULT coalition $mode $size $(bench_median "${walls[@]}") $(bench_median "${cpus[@]}") $(bench_median "${rsss[@]}") $size" >>"$results"
      fi
    done
  else
    echo "bench/fanout.sh: could not prepare the list (coalition list create / add-members)" >&2
    ours_ok=0
  fi
  rm -rf "$work/ours-$size"

  echo "== $size members: raw ceiling (smtp-source → smtp-sink)"
  "$root/bench/peers/raw.sh" --runs "$n" --sessions 4 --rcpts 100 --mode "$mode_arg" "$size" \
    | tee -a "$results" | grep -v '^RESULT'
  if ((mailman)) && [[ -n $mailman_max ]] && ((size > mailman_max)); then
    echo "== $size members: GNU Mailman 3 skipped (--mailman-max $mailman_max)"
  elif ((mailman)); then
    echo "== $size members: GNU Mailman 3"
    "$root/bench/peers/mailman.sh" --runs "$mailman_runs" --mode "$mode_arg" "$size" \
      | tee -a "$results" | grep -v '^RESULT' || echo "bench/fanout.sh: Mailman's run failed" >&2
  fi
done

# The table. result SYSTEM MODE SIZE FIELD(wall|cpu|rss)
result() {
  awk -v s="$1" -v m="$2" -v n="$3" -v f="$4" '$1 == "RESULT" && $2 == s && $3 == m && $4 == n {
    if (f == "wall") print $5; else if (f == "cpu") print $6; else print $7 }' "$results" | tail -1
}
verdict() { if (($1)); then echo PASS; else echo MISS; fi; }
echo
echo "== Coalition list fan-out benchmark ($(date -u +%Y-%m-%dT%H:%MZ))"
echo "machine: $(nproc) cores ($(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)), load $(cut -d' ' -f1-3 /proc/loadavg); the sink shares the cores"
echo "sink:    Postfix $(dpkg-query -W -f='${Version}' postfix 2>/dev/null) smtp-sink on loopback; a 1.6 KB post; medians of $runs runs up to 10,000 members"
echo
printf '%8s  %-12s  %-10s %9s %12s %9s %10s\n' members mode system 'wall s' 'recipients/s' 'CPU s' 'peak RSS'
for size in "${sizes[@]}"; do
  for mode in "${modes[@]}"; do
    for system in coalition mailman raw; do
      wall=$(result "$system" "$mode" "$size" wall)
      [[ -n $wall ]] || { printf '%8d  %-12s  %-10s %9s\n' "$size" "$mode" "$system" '(no run)'; continue; }
      cpu=$(result "$system" "$mode" "$size" cpu)
      rss=$(result "$system" "$mode" "$size" rss)
      [[ $rss == - ]] && rss_text=- || rss_text=$(awk -v k="$rss" 'BEGIN { printf "%.1f MB", k / 1024 }')
      printf '%8d  %-12s  %-10s %9.3f %12s %9s %10s\n' "$size" "$mode" "$system" "$wall" \
        "$(bench_rate "$size" "$wall")" "$cpu" "$rss_text"
    done
    ours=$(result coalition "$mode" "$size" wall)
    theirs=$(result mailman "$mode" "$size" wall)
    raw=$(result raw "$mode" "$size" wall)
    if [[ -n $ours && -n $theirs ]]; then
      x=$(awk -v a="$theirs" -v b="$ours" 'BEGIN { printf "%.1f", a / b }')
      printf '%34s throughput vs Mailman: %6s×   target >= 10×: %s\n' '' "$x" \
        "$(verdict "$(awk -v x="$x" 'BEGIN { print (x >= 10) ? 1 : 0 }')")"
    fi
    if [[ -n $ours && -n $raw ]]; then
      x=$(awk -v a="$ours" -v b="$raw" 'BEGIN { printf "%.2f", a / b }')
      printf '%34s wall vs raw ceiling:   %6s×   target <= 2×:  %s\n' '' "$x" \
        "$(verdict "$(awk -v x="$x" 'BEGIN { print (x <= 2) ? 1 : 0 }')")"
    fi
    if [[ -n $ours ]] && ((size >= 100000)); then
      rss=$(result coalition "$mode" "$size" rss)
      printf '%34s peak RSS:          %6.1f MB   target < 200 MB: %s\n' '' "$(awk -v k="$rss" 'BEGIN { print k / 1024 }')" \
        "$(verdict $((rss < 200 * 1024)))"
    fi
  done
done
((ours_ok)) || echo "(some coalition runs failed: see the messages above)"
