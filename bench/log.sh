#!/usr/bin/env bash
# Transparency log figures (a benchmark that prints, not a test): builds bench/log_bench.cpp in
# Release (build-bench/, -DCOALITION_BENCH=ON, only the targets it needs), then appends 1,000,000
# leaves to a fresh SQLite log (synchronous=FULL, 1,000 per transaction) and times inclusion
# proofs at that size. Prints the append rate and the proof median and p99 beside the target of
# issue #3 (inclusion proof < 1 ms at 1M leaves).
# With --realtime the program runs under `chrt -f 1` (root), so that other work on the machine
# does not preempt it: the p99 of a loaded 2-core machine is mostly other processes' time slices.
# Usage: bench/log.sh [--leaves N] [--batch B] [--proofs P] [--build-dir DIR] [--realtime]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build_dir="$root/build-bench"
args=()
runner=()
while (($# > 0)); do
  case "$1" in
    --leaves|--batch|--proofs) args+=("$1" "$2"); shift ;;
    --build-dir) build_dir=$(realpath -m "$2"); shift ;;
    --realtime) runner=(chrt -f 1) ;;
    -h|--help) sed -n '2,9p' "$0"; exit 0 ;;
    *) echo "bench/log.sh: unknown option $1" >&2; exit 2 ;;
  esac
  shift
done

echo "== building log_bench (Release, $build_dir)"
cmake -S "$root" -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=Release -DCOALITION_TESTS=OFF \
  -DCOALITION_BENCH=ON -DCMAKE_CXX_COMPILER_LAUNCHER=ccache >/dev/null
cmake --build "$build_dir" -j 2 --target log_bench >/dev/null

work=$(mktemp -d /tmp/coalition-log-bench.XXXXXX)
trap 'rm -rf "$work"' EXIT
"${runner[@]}" "$build_dir/bench/log_bench" --dir "$work/db" "${args[@]}"
