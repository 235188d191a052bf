#!/usr/bin/env bash
# Paragraph-aligned comparison figures (a benchmark that prints, not a test): builds
# bench/compare_bench.cpp in Release (build-bench/, -DCOALITION_BENCH=ON, only that target) and
# compares two generated 150-paragraph revisions of a draft; prints the median and p99 beside the
# target of issue #6 (< 50 ms). Exit status 1 when the median misses the target.
# Usage: bench/compare.sh [--paragraphs N] [--runs R] [--build-dir DIR]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build_dir="$root/build-bench"
args=()
while (($# > 0)); do
  case "$1" in
    --paragraphs|--runs) args+=("$1" "$2"); shift ;;
    --build-dir) build_dir=$(realpath -m "$2"); shift ;;
    -h|--help) sed -n '2,6p' "$0"; exit 0 ;;
    *) echo "bench/compare.sh: unknown option $1" >&2; exit 2 ;;
  esac
  shift
done

echo "== building compare_bench (Release, $build_dir)"
cmake -S "$root" -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=Release -DCOALITION_TESTS=OFF \
  -DCOALITION_BENCH=ON -DCMAKE_CXX_COMPILER_LAUNCHER=ccache >/dev/null
cmake --build "$build_dir" -j 2 --target compare_bench >/dev/null
"$build_dir/bench/compare_bench" "${args[@]}"
