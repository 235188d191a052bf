# shellcheck shell=bash
# shellcheck disable=SC2034  # The bench_* globals set here are read by the sourcing scripts.
# Helpers shared by bench/fanout.sh, bench/peers/mailman.sh and bench/peers/raw.sh (sourced).
# The counting sink is Postfix's smtp-sink on a free loopback port: `-c` counts completed
# transactions (personalised mode: one recipient each); in bulk mode `-d` also dumps each
# transaction's envelope, whose X-Rcpt-Args lines bench/peers/sink_wait.py counts.
# Every result is printed as one line
#   RESULT <system> <mode> <members> <wall s> <cpu s> <peak rss KB> <recipients>
# (cpu and rss are "-" where they mean nothing), which bench/fanout.sh collects.

peers_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
bench_python=/usr/bin/python3  # Debian's: Mailman's modules live there.
bench_clk_tck=$(getconf CLK_TCK)

bench_now() { date +%s.%N; }
bench_free_port() {
  "$bench_python" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}
# bench_wait_port PORT [SECONDS]: until something accepts on 127.0.0.1:PORT.
bench_wait_port() {
  local port=$1 tries=$(( ${2:-30} * 20 ))
  for _ in $(seq "$tries"); do
    if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then return 0; fi
    sleep 0.05
  done
  return 1
}

# Postfix's test programs, and whether a Postfix master runs (it must not: no system mail service).
bench_need_postfix_tools() {
  if ! command -v smtp-sink >/dev/null || ! command -v smtp-source >/dev/null; then
    echo "bench: smtp-sink/smtp-source missing: run scripts/install-deps --with-bench" >&2
    return 1
  fi
  if pgrep -x master -u root >/dev/null 2>&1 && [[ -e /var/spool/postfix/pid/master.pid ]]; then
    echo "bench: note: a Postfix master is running on this machine; it is not used" >&2
  fi
}

# bench_members_file COUNT PATH: COUNT distinct addresses, one a line, across 50 domains.
bench_members_file() {
  awk -v n="$1" 'BEGIN { for (i = 1; i <= n; i++) printf "member%06d@host%02d.example.net\n", i, i % 50 }' >"$2"
}

# bench_post_file LIST_ADDRESS AUTHOR PATH: the post (LF line ends; about 1.6 KB).
bench_post_file() {
  local list=$1 author=$2 path=$3
  {
    printf 'From: Member One <%s>\n' "$author"
    printf 'To: %s\n' "$list"
    printf 'Subject: Fan-out benchmark: notes from the WSIS+20 consultation\n'
    printf 'Date: %s\n' "$(date -R)"
    printf 'Message-ID: <fanout-%s-%s@host01.example.net>\n' "$(date +%s%N)" "$RANDOM"
    printf 'MIME-Version: 1.0\n'
    printf 'Content-Type: text/plain; charset=utf-8\n'
    printf 'Content-Transfer-Encoding: 8bit\n'
    printf '\n'
    printf 'Dear colleagues,\n\n'
    for i in $(seq 1 18); do
      printf 'Paragraph %02d: the consultation asks for written input on the review of the outcomes.\n' "$i"
    done
    printf '\nBest regards,\nMember One\n'
  } >"$path"
}

# bench_sink_start DIR MODE: starts smtp-sink (fresh counters) with its files in DIR; sets
# bench_sink_pid, bench_sink_port, bench_sink_dir.
bench_sink_start() {
  local dir=$1 mode=$2 port
  local -a args=(-c -m 1024)
  mkdir -p "$dir/dump"
  [[ $mode == bulk ]] && args+=(-d "$dir/dump/t.")
  ((EUID == 0)) && args+=(-u root)
  for _ in 1 2 3 4 5; do
    port=$(bench_free_port)
    smtp-sink "${args[@]}" "127.0.0.1:$port" 1024 >"$dir/counter" 2>"$dir/sink.err" &
    bench_sink_pid=$!
    if bench_wait_port "$port" 5 && kill -0 "$bench_sink_pid" 2>/dev/null; then
      bench_sink_port=$port
      bench_sink_dir=$dir
      return 0
    fi
    kill "$bench_sink_pid" 2>/dev/null || true
    wait "$bench_sink_pid" 2>/dev/null || true
  done
  echo "bench: smtp-sink did not start:" >&2
  cat "$dir/sink.err" >&2
  return 1
}
bench_sink_stop() {
  if [[ -n ${bench_sink_pid:-} ]]; then
    kill "$bench_sink_pid" 2>/dev/null || true
    wait "$bench_sink_pid" 2>/dev/null || true
    bench_sink_pid=
  fi
}

# bench_waiter_start MODE EXPECTED TIMEOUT: starts the counter (before the injection); then
# bench_waiter_finish sets bench_done_at (unix time) and bench_got (recipients) and fails on timeout.
bench_waiter_start() {
  "$bench_python" "$peers_dir/sink_wait.py" "$bench_sink_dir" "$1" "$2" "$3" "$bench_sink_pid" \
    >"$bench_sink_dir/wait.out" &
  bench_waiter_pid=$!
}
bench_waiter_finish() {
  local status=0 verdict
  wait "$bench_waiter_pid" || status=$?
  bench_waiter_pid=
  read -r verdict bench_done_at bench_got _ <"$bench_sink_dir/wait.out" || true
  [[ $verdict == DONE ]] && ((status == 0))
}
bench_waiter_stop() {
  if [[ -n ${bench_waiter_pid:-} ]]; then
    kill "$bench_waiter_pid" 2>/dev/null || true
    wait "$bench_waiter_pid" 2>/dev/null || true
    bench_waiter_pid=
  fi
}

# bench_tree PID: PID and all its descendants.
bench_tree() {
  local pid child
  for pid in "$@"; do
    [[ -d /proc/$pid ]] || continue
    echo "$pid"
    for child in $(cat /proc/"$pid"/task/*/children 2>/dev/null); do bench_tree "$child"; done
  done
}
# bench_cpu_ticks PID...: utime + stime + cutime + cstime (clock ticks) of the processes.
bench_cpu_ticks() {
  local pid total=0 stat rest
  for pid in "$@"; do
    stat=$(cat "/proc/$pid/stat" 2>/dev/null) || continue
    rest=${stat##*) }  # After the command name, which may hold spaces: field 3 onwards.
    total=$((total + $(awk '{ print $12 + $13 + $14 + $15 }' <<<"$rest")))
  done
  echo "$total"
}
# bench_hwm_kb PID...: the sum of the processes' peak resident set sizes (VmHWM), KB.
bench_hwm_kb() {
  local pid total=0 kb
  for pid in "$@"; do
    kb=$(awk '/^VmHWM:/ { print $2 }' "/proc/$pid/status" 2>/dev/null) || continue
    total=$((total + ${kb:-0}))
  done
  echo "$total"
}
bench_seconds() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", b - a }'; }
bench_ticks_to_seconds() { awk -v t="$1" -v hz="$bench_clk_tck" 'BEGIN { printf "%.2f", t / hz }'; }
bench_rate() { awk -v n="$1" -v s="$2" 'BEGIN { if (s > 0) printf "%.0f", n / s; else print "inf" }'; }
bench_median() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
