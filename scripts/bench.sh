#!/bin/sh
# make bench: figures for docs/PERFORMANCE.md. Long runs; not part of make test.
# BENCH_N (default 10000): participants of the invoice benchmarks;
# BENCH_DAYS (default 7): days of the end-to-end `cabine run` on them.
set -e
B=${BUILD:-build}
N=${BENCH_N:-10000}
DAYS=${BENCH_DAYS:-7}
CFL="-O2 -std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -I. -Iinclude"
LIBS="$B/libcabine.a ${LDLIBS:--lglpk -lsqlite3 -lxlsxwriter -lcjson -lnettle -lzip -lexpat -lz -ldeflate -lm -pthread}"
mkdir -p "$B/bench"
for b in bench_run bench_scale bench_readings bench_dialect bench_power gen_power bench_invoices bench_parse_share bench_forecast bench_keys; do
	[ -f scripts/$b.c ] && cc $CFL -o "$B/bench/$b" scripts/$b.c $LIBS
done
cc $CFL -Itests -I/usr/include/cjson -o "$B/bench/bench_operator" scripts/bench_operator.c $LIBS -lzip -lexpat
echo "== sharing engine (cab_run_new), 1,000 participants × 1 year"
"$B/bench/bench_run" 1000
echo "== sharing engine scaling (issue 18): 10 / 100 / 1,000 / 3,000 participants × 1 year, CPU time"
"$B/bench/bench_scale"
if [ -x "$B/bench/bench_readings" ]; then
	echo "== readings CSV parser, 1,000 meters × 1 year, on 1 and 2 threads (load: $(cut -d' ' -f1-3 /proc/loadavg))"
	"$B/bench/bench_readings"
fi
if [ -x "$B/bench/bench_dialect" ]; then
	echo "== readings dialects (SPEC §11): 100 meters × 1 year, canonical and a Belgian spreadsheet's, on 1 and 2 threads"
	"$B/bench/bench_dialect"
fi
if [ -x "$B/bench/bench_power" ]; then
	echo "== power samples (power-csv parse + integration), one meter-year of 8-s samples"
	"$B/bench/bench_power"
	"$B/bench/bench_power" naive
fi
if [ -x "$B/bench/bench_forecast" ]; then
	echo "== surplus-hours signal: SPA, and a rolling forecast (backtest) over a year"
	"$B/bench/bench_forecast" 100
fi
echo "== choosing a key (issue 13): fit-key, coupled optimum, Shapley; 60 participants × 1 year"
"$B/bench/bench_keys" 60 3
if [ -n "$BENCH_KEYS_600" ]; then
	echo "== the same, 600 participants × 1 year (BENCH_KEYS_600 set: long)"
	"$B/bench/bench_keys" 600 1
fi
echo "== demo end to end"
/usr/bin/time -f "cabine demo: %e s, peak RSS %M KB" ./cabine demo --quiet --out "$B/bench/demo"
echo "== cabine batch: sweeps of the demo community (61 participants × a year), --reports none"
# key × price × PV scale over the demo's scenario (with priority groups so
# that the fourth key runs): 4 × 5 × 5 = 100 runs, then 4 × 10 × 25 = 1,000.
d="$B/bench/sweep"
rm -rf "$d" && mkdir -p "$d"
sed 's/"sharing": {/"sharing": {"groups": [["h01", "h02", "h03"]], /' "$B/bench/demo/scenario.json" >"$B/bench/demo/sweep-base.json"
keys='["proportional", "hybrid", "fixed", "priority"]'
printf '{"base": "../demo/sweep-base.json", "sweep": {"sharing.key": %s, "sharing.price_eur_kwh": [0.06, 0.1, 0.14, 0.18, 0.22], "pv_scale": [0.5, 1, 1.5, 2, 3]}}\n' "$keys" >"$d/sweep100.json"
printf '{"base": "../demo/sweep-base.json", "sweep": {"sharing.key": %s, "sharing.price_eur_kwh": [%s], "pv_scale": [%s]}}\n' "$keys" \
	"$(seq -s ', ' 0.04 0.02 0.22)" "$(seq -s ', ' 0.2 0.2 5.0)" >"$d/sweep1000.json"
for n in 100 1000; do
	/usr/bin/time -f "cabine batch, $n runs, --jobs $(nproc): %e s (%U s user, %S s system), peak RSS %M KB" \
		./cabine batch "$d/sweep$n.json" --jobs "$(nproc)" --reports none --quiet --out "$d/out$n"
done
echo "runs recorded ok: $(awk 'END {print NR - 1}' "$d/out1000/batch.csv") of 1000"
# A batch started again once done: every run skipped.
/usr/bin/time -f "cabine batch again (every run already done): %e s" \
	./cabine batch "$d/sweep1000.json" --jobs "$(nproc)" --reports none --quiet --out "$d/out1000"
# One run's own cost, without reports: the demo scenario once.
/usr/bin/time -f "cabine check of the demo (read the readings, share, bill): %e s" \
	./cabine check "$B/bench/demo/scenario.json" >/dev/null
rm -rf "$d"

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

echo "== the operator's quarter-hour file: write, import, reconcile (docs/operator.md)"
mkdir -p "$B/bench/operator"
"$B/bench/bench_operator" "$B/bench/operator" 100

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

echo "== a readings CSV of 1,000,000 rows that are all wrong (local times without offset): 20 listed, the rest counted"
d="$B/bench/bad"
rm -rf "$d" && mkdir -p "$d"
awk 'BEGIN { print "timestamp,meter,kwh";
	for (i = 0; i < 1000000; i++) { q = i % 96;
		printf "2024-03-05T%02d:%02d:00,a-c,0.1\n", int(q / 4), (q % 4) * 15 } }' >"$d/readings.csv"
cat >"$d/scenario.json" <<'JSON'
{"name": "bad", "period": {"start": "2024-03-05", "end": "2024-03-06"},
 "readings": "readings.csv", "participants": [{"id": "a", "meters": {"consumption": "a-c"}}],
 "tariff": {"supplier_day_eur_kwh": 0.25, "network_eur_kwh": 0.12,
            "network_shared_eur_kwh": {"A": 0.03, "B": 0.05, "C": 0.09, "D": 0.12},
            "taxes_eur_kwh": 0.05, "injection_eur_kwh": 0.03}}
JSON
/usr/bin/time -f "cabine check (exit 2, 21 lines): %e s, peak RSS %M KB" ./cabine check "$d/scenario.json" 2>&1 >/dev/null | tail -1
rm -rf "$d"

# issue 11: a community without meters, billed by a common pot, large
# enough that anything quadratic shows (the pot's ranking, community.xlsx's
# coloured chart points): BENCH_METERLESS participants (default 100000)
# behind one metered cabin over a week; 0 skips it.
M=${BENCH_METERLESS:-100000}
if [ "$M" -gt 0 ]; then
	echo "== $M meterless participants, common pot, 7 days"
	d="$B/bench/meterless"
	rm -rf "$d" && mkdir -p "$d"
	awk -v n="$M" 'BEGIN {
		print "{\"name\": \"meterless\", \"period\": {\"start\": \"2024-03-04\", \"end\": \"2024-03-11\"},"
		print "\"readings\": \"readings.csv\", \"cabins\": [{\"id\": \"c\", \"meter\": \"cab\", \"locality\": \"B\"}],"
		print "\"participants\": ["
		for (i = 0; i < n; i++)
			printf "{\"id\": \"p%06d\", \"cabin\": \"c\", \"occupants\": %d}%s\n", i, 1 + i % 4, i + 1 < n ? "," : ""
		print "],"
		print "\"tariff\": {\"supplier_day_eur_kwh\": 0.25, \"network_eur_kwh\": 0.12,"
		print "  \"network_shared_eur_kwh\": {\"A\": 0.03, \"B\": 0.05, \"C\": 0.09, \"D\": 0.12},"
		print "  \"taxes_eur_kwh\": 0.05, \"injection_eur_kwh\": 0.03},"
		print "\"billing\": {\"mode\": \"pot\", \"key\": {\"occupants\": 1}}}"
	}' >"$d/scenario.json"
	awk -v n="$M" 'BEGIN {
		print "timestamp,meter,kwh"
		for (t = 0; t < 7 * 96; t++) {
			m = 23 * 60 + t * 15 # minutes from 2024-03-03T00:00Z (CET)
			printf "2024-03-%02dT%02d:%02d:00Z,cab,%.3f\n", 3 + int(m / 1440), int(m % 1440 / 60), m % 60, n * 0.1
		}
	}' >"$d/readings.csv"
	/usr/bin/time -f "cabine check: %e s, peak RSS %M KB" \
		./cabine check "$d/scenario.json" >/dev/null
	/usr/bin/time -f "cabine run --jobs $(nproc): %e s (%U s user, %S s system), peak RSS %M KB" \
		./cabine run "$d/scenario.json" --quiet --out "$d/out"
	rm -rf "$d"
fi
