#!/bin/sh
# make bench: figures for docs/PERFORMANCE.md. Long runs; not part of make test.
set -e
B=${BUILD:-build}
CFL="-O2 -std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -I. -Iinclude"
LIBS="$B/libcabine.a -lglpk -lsqlite3 -lxlsxwriter -lcjson -lnettle -lz -lm"
mkdir -p "$B/bench"
for b in bench_run bench_readings bench_power gen_power; do
	[ -f scripts/$b.c ] && cc $CFL -o "$B/bench/$b" scripts/$b.c $LIBS
done
echo "== sharing engine (cab_run_new), 1,000 participants × 1 year"
"$B/bench/bench_run" 1000
if [ -x "$B/bench/bench_readings" ]; then
	echo "== readings CSV parser, 1,000 meters × 1 year"
	"$B/bench/bench_readings"
fi
if [ -x "$B/bench/bench_power" ]; then
	echo "== power samples (power-csv parse + integration), one meter-year of 8-s samples"
	"$B/bench/bench_power"
	"$B/bench/bench_power" naive
fi
echo "== demo end to end"
/usr/bin/time -f "cabine demo: %e s, peak RSS %M KB" ./cabine demo --quiet --out "$B/bench/demo"
echo "== import of one meter-year of 8-s power samples (3.9 M lines) into a new store"
"$B/bench/gen_power" "$B/bench/power.csv" 1
rm -f "$B/bench/power.db"
/usr/bin/time -f "cabine import power-csv: %e s, peak RSS %M KB (mostly the mapped file)" ./cabine import --quiet --db "$B/bench/power.db" --format power-csv "$B/bench/power.csv"
# Anonymous memory (what the import allocates, apart from the file's pages
# in the page cache): polled from /proc while a second import runs.
rm -f "$B/bench/power2.db"
./cabine import --quiet --db "$B/bench/power2.db" --format power-csv "$B/bench/power.csv" >/dev/null &
pid=$!; anon=0; file=0
while kill -0 $pid 2>/dev/null; do
	a=$(awk '/RssAnon/{print $2}' /proc/$pid/status 2>/dev/null || true)
	f=$(awk '/RssFile/{print $2}' /proc/$pid/status 2>/dev/null || true)
	[ -n "$a" ] && [ "$a" -gt "$anon" ] && anon=$a
	[ -n "$f" ] && [ "$f" -gt "$file" ] && file=$f
	sleep 0.005
done
echo "cabine import power-csv: peak anonymous memory $anon KB, mapped file pages $file KB"
/usr/bin/time -f "cabine import again (idempotent): %e s, peak RSS %M KB" ./cabine import --quiet --db "$B/bench/power.db" --format power-csv "$B/bench/power.csv"
echo "== import of the demo's quarter-hour readings.csv into a new store"
rm -f "$B/bench/demo.db"
rows=$(($(wc -l < "$B/bench/demo/readings.csv") - 1))
/usr/bin/time -f "cabine import csv ($rows rows): %e s, peak RSS %M KB" ./cabine import --quiet --db "$B/bench/demo.db" --format csv "$B/bench/demo/readings.csv"
