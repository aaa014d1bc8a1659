#!/bin/sh
# make bench, the reference comparison (issue 18): on one generated file —
# 100 households and a common PV over the year 2024, 3.55 M rows, ~130 MB —
# the whole `cabine run` (parse, share, bill, 104 files of which 101 xlsx
# invoices), cabine's own parse + share without reports, pandas (Debian's
# python3-pandas) and DuckDB (@duckdb/node-api from npm, both cores) doing
# only the read and the proportional key. Each is repeated REPS times
# (default 5); min and median are printed, then the ratios on the minima.
# pandas and DuckDB are installed when missing: pandas with apt-get,
# DuckDB into $CABINE_BENCH_CACHE (default ~/.cache/cabine-bench), never
# into the tree. The shared totals printed must agree.
set -e
B=${BUILD:-build}
REPS=${REPS:-5}
CACHE=${CABINE_BENCH_CACHE:-$HOME/.cache/cabine-bench}
d="$B/ref"
mkdir -p "$d"
if [ ! -s "$d/readings.csv" ]; then
	awk -v n=100 -f scripts/ref/gen_year.awk >"$d/readings.csv"
	awk -v n=100 -f scripts/ref/scenario.awk >"$d/scenario.json"
fi
echo "reference file: $(($(wc -l <"$d/readings.csv") - 1)) rows, $(($(wc -c <"$d/readings.csv") / 1000000)) MB"
if ! /usr/bin/python3 -c 'import pandas' 2>/dev/null; then
	echo "bench: installing python3-pandas" >&2
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-pandas >/dev/null 2>&1 ||
		echo "bench: python3-pandas could not be installed" >&2
fi
if [ ! -d "$CACHE/node_modules/@duckdb/node-api" ]; then
	echo "bench: installing @duckdb/node-api into $CACHE" >&2
	mkdir -p "$CACHE"
	npm install --prefix "$CACHE" --no-audit --no-fund @duckdb/node-api >/dev/null 2>&1 ||
		echo "bench: @duckdb/node-api could not be installed" >&2
fi
# min and median of the first number after the label on each line
stats() {
	awk -v label="$1" '{ for (i = 1; i <= NF; i++) if ($i == "s" || $i ~ /^[0-9.]+$/) { v[n++] = $i + 0; break } }
	END { if (!n) { print label ": no figure"; exit }
	      for (i = 0; i < n; i++) for (j = i + 1; j < n; j++) if (v[j] < v[i]) { t = v[i]; v[i] = v[j]; v[j] = t }
	      printf "%s: min %.3f s, median %.3f s over %d runs\n", label, v[0], v[int(n / 2)], n }'
}
: >"$d/times"
i=0
while [ $i -lt "$REPS" ]; do
	i=$((i + 1))
	s=$(date +%s.%N)
	./cabine run "$d/scenario.json" --quiet --out "$d/out"
	e=$(date +%s.%N)
	echo "$s $e" | awk '{ printf "%.3f\n", $2 - $1 }' >>"$d/times"
done
stats "cabine run (whole, $(nproc) cores)" <"$d/times" | tee "$d/cabine.txt"
"$B/bench/bench_parse_share" "$d/scenario.json" "$REPS" | tee "$d/ps.log" | tail -n 1
sed 's/^parse+share //' "$d/ps.log" | stats "cabine parse+share (no reports)" | tee "$d/ps.txt"
/usr/bin/python3 scripts/ref/pandas_ref.py "$d/readings.csv" "$REPS" 2>/dev/null | tee "$d/pandas.log" | tail -n 1 || true
sed 's/^pandas //' "$d/pandas.log" | stats "pandas read + proportional" | tee "$d/pandas.txt"
NODE_PATH="$CACHE/node_modules" node scripts/ref/duckdb_ref.cjs "$(cd "$d" && pwd)/readings.csv" "$REPS" 2>/dev/null | tee "$d/duckdb.log" | tail -n 1 || true
sed 's/^duckdb //' "$d/duckdb.log" | stats "duckdb read + proportional" | tee "$d/duckdb.txt"
min() { sed -n 's/.*min \([0-9.]*\) s.*/\1/p' "$1"; }
awk -v c="$(min "$d/cabine.txt")" -v ps="$(min "$d/ps.txt")" -v p="$(min "$d/pandas.txt")" -v k="$(min "$d/duckdb.txt")" 'BEGIN {
	if (c > 0 && p > 0) printf "ratio: pandas / cabine run = %.2f× (target ≥ 8×)\n", p / c
	if (c > 0 && k > 0) printf "ratio: duckdb / cabine run = %.2f× (target ≥ 2.5×)\n", k / c
	if (ps > 0 && k > 0) printf "ratio: duckdb / cabine parse+share = %.2f× (target ≥ 6×)\n", k / ps
}'
# The parse alone (issue 18, part B1): bench_parse_share's load (scenario +
# readings CSV, on 2 threads), against DuckDB's read + key.
sed -n 's/.*(load \([0-9.]*\) s.*/\1 s/p' "$d/ps.log" | stats "cabine parse (scenario + readings, no share)" | tee "$d/parse.txt"
awk -v l="$(min "$d/parse.txt")" -v k="$(min "$d/duckdb.txt")" 'BEGIN {
	if (l > 0 && k > 0) printf "ratio: duckdb read + key / cabine parse = %.2f×\n", k / l
}'
