#!/usr/bin/env bash
# List-archive figures (a benchmark that prints, not a test; issue #7). Generates MESSAGES
# messages across LISTS lists (bench/peers/archive_corpus.py: threads, six languages, quoted
# parts, attachments), then, side by side in one run:
#   - import: `coalition archive import` of every list's mbox, against `notmuch new` on the same
#     messages as a maildir (both start from nothing);
#   - index size: the database (SQLite file, or PostgreSQL's archive tables) and notmuch's index;
#   - search: a mixed query set (words, inflections, phrases, Chinese, Arabic) through
#     GET /api/v1/lists/NAME/search (p50/p95 over HTTP), against `notmuch search` per query;
#   - pages: the archive index and a thread page under wrk (p99);
#   - export: `coalition archive export` of every list.
# Usage: bench/archive.sh [--messages N] [--lists N] [--backend sqlite|postgresql] [--no-build]
#                         [--pg-settings "shared_buffers = 1GB"]  (added to the throwaway
#                         cluster's postgresql.conf, and printed with the figures)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
binary="$root/build/coalition"
messages=200000
lists=20
backend=sqlite
build=1
while (($# > 0)); do
  case "$1" in
    --messages) messages=$2; shift ;;
    --lists) lists=$2; shift ;;
    --backend) backend=$2; shift ;;
    --no-build) build=0 ;;
    --pg-settings) export POSTGRES_SETTINGS=$2; shift ;;
    -h|--help) sed -n '2,15p' "$0"; exit 0 ;;
    *) echo "bench/archive.sh: unknown option $1" >&2; exit 2 ;;
  esac
  shift
done
if [[ $backend == postgresql && -z ${COALITION_TEST_POSTGRES_URL:-} ]]; then
  exec "$root/scripts/with-postgres" "$0" --messages "$messages" --lists "$lists" \
    --backend postgresql $( ((build)) || echo --no-build)
fi
if ((build)); then
  echo "== building Release (make build)"
  make -C "$root" build >/dev/null
fi
for tool in notmuch wrk curl; do
  command -v $tool >/dev/null || { echo "bench/archive.sh: $tool is missing (scripts/install-deps --with-test-tools)" >&2; exit 1; }
done

work=$(mktemp -d /tmp/coalition-archive-bench.XXXXXX)
server_pid=
cleanup() {
  [[ -n $server_pid ]] && kill -TERM "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT
mkdir -p "$work/var"
if [[ $backend == postgresql ]]; then
  database_name=bench_$$
  psql -h "$COALITION_TEST_POSTGRES_SOCKET_DIR" -U postgres -qc "CREATE DATABASE $database_name"
  # ARCHIVE_BENCH_PG_PARAMS adds connection parameters, e.g. "&pool_size=32".
  export COALITION_DATABASE_URL="postgresql://postgres@/$database_name?host=$COALITION_TEST_POSTGRES_SOCKET_DIR${ARCHIVE_BENCH_PG_PARAMS:-}"
else
  export COALITION_DATABASE_URL="sqlite:$work/var/coalition.db"
fi
export COALITION_HTTP_LISTEN=127.0.0.1:0 COALITION_LMTP_LISTEN=127.0.0.1:0
export COALITION_MAIL_OUTBOX_DIR="$work/var/mail/outbox"
now_ms() { date +%s%3N; }

echo "== generating $messages messages across $lists lists"
python3 "$root/bench/peers/archive_corpus.py" "$work/mbox" "$messages" "$lists" --maildir "$work/maildir"
cd "$work"
"$binary" migrate >/dev/null
for file in mbox/*.mbox; do
  name=$(basename "$file" .mbox)
  "$binary" list create "$name@lists.example.org" --owner owner@example.org --archive public >/dev/null
done

echo "== import ($backend)"
start=$(now_ms)
for file in mbox/*.mbox; do
  "$binary" archive import "$(basename "$file" .mbox)" "$file" >/dev/null
done
ours_import_ms=$(( $(now_ms) - start ))
cat >"$work/notmuch-config" <<CONF
[database]
path=$work/maildir
[new]
tags=
[maildir]
synchronize_flags=false
CONF
export NOTMUCH_CONFIG="$work/notmuch-config"
start=$(now_ms)
notmuch new --quiet >/dev/null
notmuch_import_ms=$(( $(now_ms) - start ))

if [[ $backend == postgresql ]]; then
  ours_size=$(psql -h "$COALITION_TEST_POSTGRES_SOCKET_DIR" -U postgres -d "$database_name" -qAtc \
    "SELECT sum(pg_total_relation_size(c)) FROM unnest(ARRAY['archive_messages','archive_search','archive_threads','archive_references','archive_attachments']::regclass[]) c")
else
  ours_size=$(stat -c %s "$work/var/coalition.db")
fi
notmuch_size=$(du -sb "$work/maildir/.notmuch" | cut -f1)
mbox_size=$(cat mbox/*.mbox | wc -c)

echo "== export"
start=$(now_ms)
for file in mbox/*.mbox; do
  "$binary" archive export "$(basename "$file" .mbox)" >/dev/null
done
export_ms=$(( $(now_ms) - start ))

"$binary" serve >"$work/serve.log" 2>&1 &
server_pid=$!
base_url=
for _ in $(seq 300); do
  base_url=$(grep -o 'serving http://[0-9.]*:[0-9]*' "$work/serve.log" | head -1 | cut -d' ' -f2 || true)
  [[ -n $base_url ]] && break
  sleep 0.1
done
[[ -n $base_url ]] || { cat "$work/serve.log" >&2; exit 1; }

echo "== search (50 queries, each 3 times)"
queries=(governance "internet governance" negotiations "\"digital compact\"" délégations
         negociaciones делегации переговоры 数字契约 الرقمي review deadline "review -security"
         "members statement" proceso Проект consultation paragraphe delegation running)
python3 - "$base_url" "${queries[@]}" <<'PY' >"$work/search.txt"
import subprocess, sys, time, urllib.parse, urllib.request, statistics, os
base, queries = sys.argv[1], sys.argv[2:]
ours, theirs = [], []
for round_ in range(3):
    for number, query in enumerate(queries):
        url = "%s/api/v1/lists/list%02d/search?q=%s" % (base, number % 20, urllib.parse.quote(query))
        start = time.perf_counter()
        try:
            urllib.request.urlopen(url).read()
        except Exception as error:  # A missing route counts as no figure.
            print("search failed:", url, error, file=sys.stderr)
            ours.append(float("nan"))
            continue
        ours.append((time.perf_counter() - start) * 1000)
        nm = query.replace('"', "") if not query.startswith('"') else query
        start = time.perf_counter()
        subprocess.run(["notmuch", "search", "--limit=20", "--", nm], capture_output=True)
        theirs.append((time.perf_counter() - start) * 1000)
def pct(values, p):
    values = sorted(v for v in values if v == v)
    return values[min(len(values) - 1, int(len(values) * p))] if values else float("nan")
print("%.1f %.1f %.1f %.1f" % (pct(ours, 0.5), pct(ours, 0.95), pct(theirs, 0.5), pct(theirs, 0.95)))
PY
read -r search_p50 search_p95 notmuch_p50 notmuch_p95 <"$work/search.txt"

thread_id=$("$binary" archive threads list00 --json | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["id"])')
p99() {
  wrk -t2 -c32 -d10s --latency "$1" | awk '/ 99%/ {v=$2; if (v ~ /us$/) {sub(/us/,"",v); v/=1000} else if (v ~ /ms$/) {sub(/ms/,"",v)} else if (v ~ /s$/) {sub(/s/,"",v); v*=1000}; print v}'
}
echo "== pages under wrk (10 s each)"
index_p99=$(p99 "$base_url/lists/list00/archive")
sleep 2  # Each page alone: the requests wrk left in flight finish first.
thread_p99=$(p99 "$base_url/lists/list00/t/$thread_id")

rate() { awk -v n="$1" -v ms="$2" 'BEGIN { printf "%.0f", n * 1000 / (ms > 0 ? ms : 1) }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / (b > 0 ? b : 1) }'; }
echo
echo "== archive figures ($backend${POSTGRES_SETTINGS:+, $POSTGRES_SETTINGS}, $messages messages in $lists lists, mbox $((mbox_size / 1048576)) MB)"
printf 'import        %8s msg/s  (%d ms)   notmuch new %8s msg/s (%d ms)   ours/notmuch time %s   target >= 5000 msg/s\n' \
  "$(rate "$messages" "$ours_import_ms")" "$ours_import_ms" "$(rate "$messages" "$notmuch_import_ms")" \
  "$notmuch_import_ms" "$(ratio "$ours_import_ms" "$notmuch_import_ms")"
printf 'index size    %8s MB             notmuch     %8s MB\n' "$((ours_size / 1048576))" "$((notmuch_size / 1048576))"
printf 'search        p50 %s ms  p95 %s ms   notmuch search p50 %s ms  p95 %s ms (process per query)   target p95 < 50 ms\n' \
  "$search_p50" "$search_p95" "$notmuch_p50" "$notmuch_p95"
printf 'pages (wrk)   archive index p99 %s ms   thread page p99 %s ms   target thread p99 < 20 ms\n' "$index_p99" "$thread_p99"
printf 'export        %8s msg/s  (%d ms)\n' "$(rate "$messages" "$export_ms")" "$export_ms"
