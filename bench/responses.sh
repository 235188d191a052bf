#!/usr/bin/env bash
# Joint-response figures (a benchmark that prints, not a test; issue #5): a fresh SQLite database
# with the demo accounts and one response drafted at length (bench/responses_data.py: SECTIONS
# sections, PARAGRAPHS paragraphs, VERSIONS versions, COMMENTS comments, AMENDMENTS amendments),
# `coalition serve` on it, and wrk (keep-alive, 2 threads, CONNECTIONS connections, --latency) as
# the draft's editor (an admin: the heaviest pages, with the editors' forms) against the draft
# page, the page of its busiest paragraph (the most comments and amendments: the whole thread and
# every form) and the word diff between the first and the last version, ROUNDS interleaved
# rounds. Then
# the PDF of a publication of the same length (publications::render_pdf, headless Chromium) made
# ROUNDS times from scratch (a new revision each time, so nothing is served from the cache).
# Prints medians beside the targets: draft page p99 < 50 ms, paragraph page (no target of its own;
# reported beside the draft's), diff < 100 ms, PDF < 3 s.
# Usage: bench/responses.sh [--no-build] [--binary PATH] [--duration SECONDS] [--rounds N]
#          [--connections N] [--sections N] [--paragraphs N] [--versions N] [--comments N]
#          [--amendments N]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
binary="$root/build/coalition"
build=1
duration=10
rounds=3
connections=4
sections=40
paragraphs=300
versions=11
comments=2000
amendments=500
while (($# > 0)); do
  case "$1" in
    --no-build) build=0 ;;
    --binary) binary=$(realpath "$2"); build=0; shift ;;
    --duration) duration=$2; shift ;;
    --rounds) rounds=$2; shift ;;
    --connections) connections=$2; shift ;;
    --sections) sections=$2; shift ;;
    --paragraphs) paragraphs=$2; shift ;;
    --versions) versions=$2; shift ;;
    --comments) comments=$2; shift ;;
    --amendments) amendments=$2; shift ;;
    -h|--help) sed -n '2,16p' "$0"; exit 0 ;;
    *) echo "bench/responses.sh: unknown option $1" >&2; exit 2 ;;
  esac
  shift
done
source "$root/bench/lib.sh"  # rps_of, latency_ms_of, errors_of, median
for tool in wrk curl python3; do
  command -v $tool >/dev/null || { echo "bench/responses.sh: $tool is missing (scripts/install-deps --with-test-tools)" >&2; exit 1; }
done
if ((build)); then
  echo "== building Release (make build)"
  make -C "$root" build >/dev/null
fi

work=$(mktemp -d /tmp/coalition-responses-bench.XXXXXX)
server_pid=
cleanup() {
  [[ -n $server_pid ]] && kill -TERM "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT
mkdir -p "$work/var"
cd "$work"
export COALITION_DATABASE_URL="sqlite:$work/var/coalition.db"
export COALITION_HTTP_LISTEN=127.0.0.1:0 COALITION_LMTP_LISTEN=127.0.0.1:0
export COALITION_MAIL_OUTBOX_DIR="$work/var/mail/outbox"

echo "== a draft of $sections sections, $paragraphs paragraphs, $versions versions, $comments comments, $amendments amendments"
"$binary" demo load --no-statement >/dev/null
token=$(python3 -c 'import secrets; print(secrets.token_urlsafe(32))')
read -r editor authors < <(python3 - "$work/var/coalition.db" <<'PY'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
editor = db.execute("SELECT id FROM users WHERE email = 'admin@coalition.example'").fetchone()[0]
authors = ",".join(str(row[0]) for row in db.execute("SELECT id FROM users ORDER BY id"))
print(editor, authors)
PY
)
python3 "$root/bench/responses_data.py" "$sections" "$paragraphs" "$versions" "$comments" \
  "$amendments" "$editor" "$authors" "$token" >"$work/data.sql"
python3 -c 'import sqlite3, sys; sqlite3.connect(sys.argv[1]).executescript(open(sys.argv[2]).read())' \
  "$work/var/coalition.db" "$work/data.sql"

"$binary" serve >"$work/serve.log" 2>&1 &
server_pid=$!
base_url=
for _ in $(seq 300); do
  base_url=$(grep -o 'serving http://[0-9.]*:[0-9]*' "$work/serve.log" | head -1 | cut -d' ' -f2 || true)
  [[ -n $base_url ]] && break
  sleep 0.1
done
[[ -n $base_url ]] || { echo "the server did not start:"; cat "$work/serve.log"; exit 1; }
cookie="Cookie: session=$token"
busiest=$(python3 - "$work/var/coalition.db" <<'PY'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
print(db.execute("SELECT anchor, COUNT(*) AS n FROM (SELECT anchor FROM response_comments UNION ALL "
                 "SELECT anchor FROM response_amendments) GROUP BY anchor ORDER BY n DESC, anchor "
                 "LIMIT 1").fetchone()[0])
PY
)
url_of() {
  case "$1" in
    draft) echo "$base_url/responses/bench" ;;
    para) echo "$base_url/responses/bench/paragraphs/$busiest" ;;
    diff) echo "$base_url/responses/bench/diff?from=1&to=$versions" ;;
  esac
}
for name in draft para diff; do
  status=$(curl -s -o "$work/$name.html" -w '%{http_code}' -H "$cookie" "$(url_of $name)")
  [[ $status == 200 ]] || { echo "GET $(url_of $name) answered $status"; head -c 600 "$work/$name.html"; exit 1; }
  echo "   $name: $(wc -c <"$work/$name.html") bytes"
done
grep -q 'id="p-' "$work/draft.html" || { echo "the draft page shows no paragraph"; exit 1; }

names=(draft para diff)
declare -A rps_runs p50_runs p99_runs error_runs
echo "== $rounds rounds of wrk -t2 -c$connections -d${duration}s --latency, interleaved"
for round in $(seq "$rounds"); do
  for name in "${names[@]}"; do
    out="$work/wrk-$name-$round.txt"
    wrk -t2 -c"$connections" -d"${duration}s" --timeout 10s --latency -H "$cookie" "$(url_of $name)" >"$out"
    rps_runs[$name]+="$(rps_of "$out") "
    p50_runs[$name]+="$(latency_ms_of "$out" 50%) "
    p99_runs[$name]+="$(latency_ms_of "$out" 99%) "
    error_runs[$name]+="$(errors_of "$out") "
    printf '   round %d %-6s %8.1f req/s  p50 %8.2f ms  p99 %8.2f ms  errors %d\n' "$round" "$name" \
      "$(rps_of "$out")" "$(latency_ms_of "$out" 50%)" "$(latency_ms_of "$out" 99%)" "$(errors_of "$out")"
  done
done

# The PDF: a publication holding the same text (its Markdown from the database), published by the
# admin through the form, then downloaded once per round after an edit (a new revision).
echo "== PDF of a publication of the same text, $rounds renders"
python3 - "$work/var/coalition.db" >"$work/text.md" <<'PY'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
rows = db.execute("SELECT b.body FROM response_version_blocks vb JOIN response_blocks b ON b.id = vb.block_id "
                  "WHERE vb.version_id = 1 ORDER BY vb.position")
print("\n\n".join(row[0] for row in rows))
PY
pdf_runs=""
pdf_ok=1
for round in $(seq "$rounds"); do
  python3 - "$base_url" "$token" "$work/text.md" "$round" <<'PY' || { pdf_ok=0; break; }
import http.client, re, sys, urllib.parse
base, token, path, round_ = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4]
parsed = urllib.parse.urlsplit(base)
def call(method, target, body=None):
    connection = http.client.HTTPConnection(parsed.hostname, parsed.port, timeout=60)
    headers = {"Cookie": f"session={token}"}
    if body is not None:
        headers["Content-Type"] = "application/x-www-form-urlencoded"
        body = urllib.parse.urlencode(body)
    connection.request(method, target, body=body, headers=headers)
    response = connection.getresponse()
    return response.status, response.getheader("Location"), response.read().decode("utf-8", "replace")
text = open(path, encoding="utf-8").read() + f"\n\nRound {round_}.\n"
form = {"kind": "position-paper", "title": "Benchmark paper", "slug": "bench-paper",
        "language": "en", "summary": "", "process": "", "markdown": text}
status, _, page = call("GET", "/admin/publications/new")
form["_csrf"] = re.search(r'name="_csrf" value="([^"]+)"', page).group(1)
if round_ == "1":
    status, _, body = call("POST", "/admin/publications", form)
    if status != 303:
        sys.exit(f"creating the publication answered {status}: {body[:300]}")
    status, _, body = call("POST", "/admin/publications/bench-paper/publish", {"_csrf": form["_csrf"]})
else:
    status, _, body = call("POST", "/admin/publications/bench-paper", form)
if status != 303:
    sys.exit(f"publishing or editing answered {status}: {body[:300]}")
PY
  start=$(date +%s%3N)
  status=$(curl -s -o "$work/paper.pdf" -w '%{http_code}' "$base_url/publications/bench-paper.pdf")
  elapsed=$(( $(date +%s%3N) - start ))
  if [[ $status != 200 ]] || ! head -c 5 "$work/paper.pdf" | grep -q '%PDF-'; then
    echo "   the PDF answered $status"; pdf_ok=0; break
  fi
  printf '   round %d pdf %6d ms (%d bytes)\n' "$round" "$elapsed" "$(wc -c <"$work/paper.pdf")"
  pdf_runs+="$elapsed "
done

echo
echo "machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg); wrk and Chromium share them"
printf '%-6s %-46s %9s %9s %9s   %s\n' name endpoint 'req/s' 'p50 ms' 'p99 ms' 'target'
for name in "${names[@]}"; do
  case $name in
    draft) target='p99 < 50 ms' ;;
    para) target='(none)' ;;
    *) target='< 100 ms' ;;
  esac
  path=$(url_of "$name")
  printf '%-6s %-46s %9s %9s %9s   %s (errors %s)\n' "$name" "${path#"$base_url"}" \
    "$(median ${rps_runs[$name]})" "$(median ${p50_runs[$name]})" "$(median ${p99_runs[$name]})" \
    "$target" "$(median ${error_runs[$name]})"
done
if ((pdf_ok)) && [[ -n $pdf_runs ]]; then
  printf '%-6s %-46s %29s   %s\n' pdf /publications/bench-paper.pdf "median $(median $pdf_runs) ms" '< 3 s'
else
  echo "pdf: not measured (see above)"
fi
