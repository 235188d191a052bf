#!/usr/bin/env bash
# GNU Mailman 3 on the fan-out's work (the peer of bench/fanout.sh, which runs it; also runs alone).
# Debian's mailman3 package, configured from a temporary mailman.cfg in a temp dir (var_dir, SQLite
# database, logs, queues there; no system service, no REST runner, mta.null: no MTA maps), its
# LMTP runner on a free port, its outgoing SMTP to Postfix's smtp-sink on a free loopback port.
# For each size: one list, MEMBERS members subscribed in bulk through Mailman's own API
# (bench/peers/mailman_setup.py, verified, no welcome), then for each mode one post handed to the
# LMTP runner (python3 smtplib.LMTP), timed from the injection until the sink has every recipient:
#   personalised: personalize = individual, verp_personalized_deliveries = yes (one VERPed,
#                 decorated copy a member);
#   bulk:         personalize = none, verp_delivery_interval = 0 (Mailman's bulk delivery,
#                 mta.max_recipients = 500 RCPT a transaction).
# CPU time: utime+stime of the master and every runner (from /proc, before and after, once the
# runners have started and gone idle); RSS: the sum of their peak resident sets (VmHWM).
# Usage: bench/peers/mailman.sh [--mode personalised|bulk|both] [--runs N] [--out-runners N]
#                               [--timeout SECONDS] [--keep] MEMBERS...
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=bench/peers/common.sh
source "$here/common.sh"

modes=(personalised bulk)
runs=1
out_runners=1  # Mailman's default; a power of 2.
timeout_s=
keep=0
sizes=()
while (($# > 0)); do
  case "$1" in
    --mode) [[ $2 == both ]] && modes=(personalised bulk) || modes=("$2"); shift ;;
    --runs) runs=$2; shift ;;
    --out-runners) out_runners=$2; shift ;;
    --timeout) timeout_s=$2; shift ;;
    --keep) keep=1 ;;
    -h|--help) sed -n '2,17p' "$0"; exit 0 ;;
    [0-9]*) sizes+=("$1") ;;
    *) echo "bench/peers/mailman.sh: unknown option $1" >&2; exit 2 ;;
  esac
  shift
done
((${#sizes[@]} > 0)) || sizes=(1000)
bench_need_postfix_tools
if [[ ! -x /usr/lib/mailman3/bin/master ]]; then
  echo "bench/peers/mailman.sh: Debian's mailman3 is missing: run scripts/install-deps --with-bench" >&2
  exit 1
fi

work=$(mktemp -d /tmp/coalition-mailman-bench.XXXXXX)
master_pid=
stop_master() {
  if [[ -n $master_pid ]] && kill -0 "$master_pid" 2>/dev/null; then
    kill -TERM "$master_pid" 2>/dev/null || true
    for _ in $(seq 100); do kill -0 "$master_pid" 2>/dev/null || break; sleep 0.1; done
    # Runners that outlive their master (they should not): end them by their own ids.
    local pid
    for pid in $(bench_tree "$master_pid"); do kill -KILL "$pid" 2>/dev/null || true; done
    wait "$master_pid" 2>/dev/null || true
  fi
  master_pid=
}
cleanup() {
  stop_master
  bench_waiter_stop
  bench_sink_stop
  if ((keep)); then echo "kept $work" >&2; else rm -rf "$work"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

list=bench@lists.example.org
author=member000001@host01.example.net

# write_config DIR MODE SMTP_PORT LMTP_PORT
write_config() {
  local dir=$1 mode=$2 smtp_port=$3 lmtp_port=$4 verp=no
  [[ $mode == personalised ]] && verp=yes
  cat >"$dir/mailman.cfg" <<CFG
[mailman]
layout: bench
site_owner: owner@lists.example.org

[paths.bench]
var_dir: $dir/var
bin_dir: /usr/lib/mailman3/bin

[database]
class: mailman.database.sqlite.SQLiteDatabase
url: sqlite:///\$DATA_DIR/mailman.db

[logging.root]
level: warning

[mta]
incoming: mailman.mta.null.NullMTA
outgoing: mailman.mta.deliver.deliver
smtp_host: 127.0.0.1
smtp_port: $smtp_port
lmtp_host: 127.0.0.1
lmtp_port: $lmtp_port
max_recipients: 500
verp_personalized_deliveries: $verp
verp_delivery_interval: 0

[runner.rest]
start: no

[runner.out]
instances: $out_runners
CFG
}

# settle: waits until the master and its runners stop using CPU (their start-up is not measured).
# shellcheck disable=SC2046  # PID lists split on purpose.
settle() {
  local before after
  for _ in $(seq 60); do
    before=$(bench_cpu_ticks $(bench_tree "$master_pid"))
    sleep 0.5
    after=$(bench_cpu_ticks $(bench_tree "$master_pid"))
    ((after - before <= 2)) && return 0
  done
  echo "bench/peers/mailman.sh: the runners did not go idle in 30 s; measuring anyway" >&2
}

for size in "${sizes[@]}"; do
  dir="$work/mm-$size"
  mkdir -p "$dir/var"
  bench_members_file "$size" "$dir/members.txt"
  write_config "$dir" personalised 9 9
  echo "== Mailman 3 ($(dpkg-query -W -f='${Version}' mailman3)): subscribing $size members"
  t0=$(bench_now)
  "$bench_python" "$here/mailman_setup.py" "$dir/mailman.cfg" load "$list" "$dir/members.txt" | sed 's/^/   /'
  echo "   load took $(bench_seconds "$t0" "$(bench_now)") s"
  limit=${timeout_s:-$((120 + size / 10))}

  for mode in "${modes[@]}"; do
    walls=() cpus=() rsss=()
    for run in $(seq "$runs"); do
      bench_sink_start "$dir/sink-$mode-$run" "$mode"
      lmtp_port=$(bench_free_port)
      write_config "$dir" "$mode" "$bench_sink_port" "$lmtp_port"
      "$bench_python" "$here/mailman_setup.py" "$dir/mailman.cfg" mode "$list" "$mode" >/dev/null
      rm -f "$dir/var/locks/master.lck"*
      /usr/lib/mailman3/bin/master -C "$dir/mailman.cfg" --force >"$dir/master-$mode-$run.log" 2>&1 &
      master_pid=$!
      if ! bench_wait_port "$lmtp_port" 120; then
        echo "bench/peers/mailman.sh: Mailman's LMTP runner did not start; its logs:" >&2
        cat "$dir/master-$mode-$run.log" "$dir"/var/logs/*.log >&2 2>/dev/null || true
        exit 1
      fi
      settle
      pids=$(bench_tree "$master_pid")
      cpu0=$(bench_cpu_ticks $pids)
      bench_post_file "$list" "$author" "$dir/post.eml"
      bench_waiter_start "$mode" "$size" "$limit"
      t0=$(bench_now)
      "$bench_python" "$here/lmtp_inject.py" 127.0.0.1 "$lmtp_port" "$author" "$list" "$dir/post.eml"
      if ! bench_waiter_finish; then
        echo "bench/peers/mailman.sh: after ${limit} s the sink has ${bench_got:-0} of $size recipients ($mode)" >&2
        tail -20 "$dir"/var/logs/*.log >&2 2>/dev/null || true
        exit 1
      fi
      wall=$(bench_seconds "$t0" "$bench_done_at")
      pids=$(bench_tree "$master_pid")
      cpu=$(bench_ticks_to_seconds $(($(bench_cpu_ticks $pids) - cpu0)))
      rss=$(bench_hwm_kb $pids)
      nprocs=$(wc -w <<<"$pids")
      stop_master
      bench_sink_stop
      printf '   mailman %-12s %7d members, run %d: %8.3f s  %7s recipients/s  CPU %7.2f s  RSS %6.1f MB (%d processes)\n' \
        "$mode" "$size" "$run" "$wall" "$(bench_rate "$size" "$wall")" "$cpu" \
        "$(awk -v k="$rss" 'BEGIN { print k / 1024 }')" "$nprocs"
      walls+=("$wall") cpus+=("$cpu") rsss+=("$rss")
    done
    echo "RESULT mailman $mode $size $(bench_median "${walls[@]}") $(bench_median "${cpus[@]}") $(bench_median "${rsss[@]}") $size"
  done
done
