#!/usr/bin/env bash
# The raw ceiling of this machine (bench/fanout.sh's yardstick): Postfix's smtp-source sends the
# fan-out's work straight to smtp-sink on loopback, no list server in between — personalised:
# MEMBERS messages of one recipient each; bulk: MEMBERS recipients, RCPTS a transaction — over
# SESSIONS parallel connections kept open (-d), the same post as the list servers get (-F).
# Timed from the start of smtp-source until the sink has counted every recipient.
# Usage: bench/peers/raw.sh [--mode personalised|bulk|both] [--sessions 4] [--rcpts 100]
#                           [--runs 1] MEMBERS...
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=bench/peers/common.sh
source "$here/common.sh"

modes=(personalised bulk)
sessions=4
rcpts=100
runs=1
sizes=()
while (($# > 0)); do
  case "$1" in
    --mode) [[ $2 == both ]] && modes=(personalised bulk) || modes=("$2"); shift ;;
    --sessions) sessions=$2; shift ;;
    --rcpts) rcpts=$2; shift ;;
    --runs) runs=$2; shift ;;
    -h|--help) sed -n '2,8p' "$0"; exit 0 ;;
    [0-9]*) sizes+=("$1") ;;
    *) echo "bench/peers/raw.sh: unknown option $1" >&2; exit 2 ;;
  esac
  shift
done
((${#sizes[@]} > 0)) || sizes=(10000)
bench_need_postfix_tools

work=$(mktemp -d /tmp/coalition-raw-bench.XXXXXX)
cleanup() {
  bench_waiter_stop
  bench_sink_stop
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

author=member000001@host01.example.net
bench_post_file list@lists.example.org "$author" "$work/post.eml"

for size in "${sizes[@]}"; do
  for mode in "${modes[@]}"; do
    walls=()
    for run in $(seq "$runs"); do
      bench_sink_start "$work/sink-$size-$mode-$run" "$mode"
      if [[ $mode == bulk ]]; then
        per=$rcpts
      else
        per=1
      fi
      messages=$(( (size + per - 1) / per ))
      # The last transaction carries a full RCPT batch, so the sink may count up to per-1 more.
      bench_waiter_start "$mode" "$size" 600
      t0=$(bench_now)
      timeout 600 smtp-source -d -s "$sessions" -m "$messages" -r "$per" -F "$work/post.eml" \
        -f "$author" -t member@host02.example.net "127.0.0.1:$bench_sink_port" \
        >"$work/source.out" 2>&1 || { echo "smtp-source failed:" >&2; cat "$work/source.out" >&2; exit 1; }
      if ! bench_waiter_finish; then
        echo "bench/peers/raw.sh: the sink counted ${bench_got:-?} of $size recipients" >&2
        exit 1
      fi
      wall=$(bench_seconds "$t0" "$bench_done_at")
      walls+=("$wall")
      bench_sink_stop
      printf '   raw %-12s %7d recipients, run %d: %8.3f s  %8s recipients/s  (%d messages, %d sessions)\n' \
        "$mode" "$size" "$run" "$wall" "$(bench_rate "$size" "$wall")" "$messages" "$sessions"
    done
    wall=$(bench_median "${walls[@]}")
    echo "RESULT raw $mode $size $wall - - $size"
  done
done
