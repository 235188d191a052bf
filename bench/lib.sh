# Helpers shared by the bench scripts (sourced): reading wrk's output and taking medians.

# "Requests/sec: 12345.67" and the --latency lines "50%  1.23ms", "99%  1.23ms" (us, ms or s).
rps_of() { awk '/^Requests\/sec:/ { printf "%.1f", $2 }' "$1"; }
latency_ms_of() {
  awk -v p="$2" '$1 == p {
    value = $2
    if (value ~ /us$/) { sub(/us$/, "", value); value /= 1000 }
    else if (value ~ /ms$/) { sub(/ms$/, "", value) }
    else if (value ~ /s$/) { sub(/s$/, "", value); value *= 1000 }
    printf "%.2f", value
  }' "$1"
}
# Non-2xx (a 304 counts as 3xx, so it is not an error) and socket errors.
errors_of() {
  awk '/Non-2xx or 3xx responses:/ { bad += $NF } /Socket errors:/ { gsub(/,/, ""); bad += $4 + $6 + $8 + $10 }
       END { print bad + 0 }' "$1"
}
median() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
