#!/bin/sh
# make bench: figures for docs/PERFORMANCE.md. Long runs; not part of make test.
# BENCH_N (default 10000): participants of the invoice benchmarks;
# BENCH_DAYS (default 7): days of the end-to-end `cabine run` on them.
set -e
B=${BUILD:-build}
N=${BENCH_N:-10000}
DAYS=${BENCH_DAYS:-7}
CFL="-O2 -std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -I. -Iinclude"
LIBS="$B/libcabine.a ${LDLIBS:--lglpk -lsqlite3 -lxlsxwriter -lcjson -lnettle -lzip -lexpat -lz -ldeflate -lm}"
mkdir -p "$B/bench"
for b in bench_run bench_readings bench_power gen_power bench_invoices bench_parse_share; do
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
/usr/bin/time -f "cabine import power-csv: %e s, peak RSS %M KB" ./cabine import --quiet --db "$B/bench/power.db" --format power-csv "$B/bench/power.csv"
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

echo "== invoices, $N participants × 1 year (in memory, no CSV)"
/usr/bin/time -f "bench_invoices: %e s, peak RSS %M KB" \
	"$B/bench/bench_invoices" "$N" "$(nproc)" 500 "$B/bench/invoices"
rm -rf "$B/bench/invoices"

echo "== cabine run end to end, $N participants × $DAYS days (readings CSV)"
d="$B/bench/big"
rm -rf "$d" && mkdir -p "$d"
# A week of March 2024 (CET, UTC+1): one in three participants with PV.
awk -v n="$N" -v days="$DAYS" 'BEGIN {
	srand(7);
	print "{\"name\": \"bench-big\","
	printf "\"period\": {\"start\": \"2024-03-04\", \"end\": \"2024-03-%02d\"},\n", 4 + days
	print "\"readings\": \"readings.csv\","
	print "\"cabins\": [{\"id\": \"c0\", \"locality\": \"B\"}, {\"id\": \"c1\", \"locality\": \"B\"}],"
	print "\"participants\": ["
	split("fr nl en", lang, " ")
	for (i = 0; i < n; i++) {
		pv = i % 3 == 0 ? sprintf(", \"production\": \"h%05d-pv\"", i) : ""
		printf "{\"id\": \"h%05d\", \"cabin\": \"c%d\", \"meters\": {\"consumption\": \"h%05d-c\"%s}, \"lang\": \"%s\"}%s\n",
		       i, i % 2, i, pv, lang[i % 3 + 1], i + 1 < n ? "," : ""
	}
	print "],"
	print "\"tariff\": {\"supplier_day_eur_kwh\": 0.25, \"supplier_night_eur_kwh\": 0.22,"
	print "  \"network_eur_kwh\": 0.12, \"network_shared_eur_kwh\": {\"A\": 0.03, \"B\": 0.05, \"C\": 0.09, \"D\": 0.12},"
	print "  \"taxes_eur_kwh\": 0.05, \"injection_eur_kwh\": 0.03},"
	print "\"sharing\": {\"key\": \"proportional\", \"price_eur_kwh\": 0.15}}"
}' >"$d/scenario.json"
awk -v n="$N" -v days="$DAYS" 'BEGIN {
	srand(11);
	print "timestamp,meter,kwh"
	nt = days * 96
	for (i = 0; i < n; i++)
		for (t = 0; t < nt; t++) {
			m = 23 * 60 + t * 15 # minutes from 2024-03-03T00:00Z
			q = t % 96
			ts = sprintf("2024-03-%02dT%02d:%02d:00Z", 3 + int(m / 1440), int(m % 1440 / 60), m % 60)
			printf "%s,h%05d-c,%.6f\n", ts, i, (0.05 + 0.1 * rand() + (q > 70 && q < 88 ? 0.2 : 0))
			if (i % 3 == 0)
				printf "%s,h%05d-pv,%.6f\n", ts, i, ((q > 30 && q < 70) ? 0.6 * rand() : 0)
		}
}' >"$d/readings.csv"
echo "readings: $(wc -l <"$d/readings.csv") rows"
/usr/bin/time -f "cabine run, --jobs 1: %e s, peak RSS %M KB" \
	./cabine run "$d/scenario.json" --quiet --jobs 1 --out "$d/out1"
/usr/bin/time -f "cabine run, --jobs $(nproc): %e s, peak RSS %M KB" \
	./cabine run "$d/scenario.json" --quiet --out "$d/out"
# The same files whatever the number of processes.
diff -r "$d/out1" "$d/out" >/dev/null && echo "outputs identical with --jobs 1 and --jobs $(nproc)"
rm -rf "$d"

echo "== cabine site of the demo (61 participants, a year): time, memory, size"
/usr/bin/time -f "cabine site (run included): %e s, peak RSS %M KB" \
	./cabine site "$B/bench/demo/scenario.json" --quiet --out "$B/bench/demo-site"
echo "site/: $(du -sk "$B/bench/demo-site/site" | cut -f1) KB in $(find "$B/bench/demo-site/site" -type f | wc -l) files"
rm -rf "$B/bench/demo-site" "$B/bench/demo/site.secret"
echo "== the reference comparison: pandas and DuckDB on a 100-household year"
sh scripts/bench_ref.sh
