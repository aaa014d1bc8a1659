#!/bin/sh
# The layout by stage (docs/ARCHITECTURE.md), checked on every include:
# a file may include headers of its own stage or of a lower one, never of
# a higher one; public headers (include/cabine/*.h) count in the stage
# that implements them. keys/ is a leaf below the scenario loader: keys
# take plain arrays, and the loader asks the registry for their names. Also: no library source above 800 lines.
# Prints one line per violation; exit 1 when there is any.
cd "$(dirname "$0")/.." || exit 1
# stage rank of a path (a file or an included header)
rank() {
	case "$1" in
	engine/base/* | cabine/err.h | cabine/time.h) echo 10 ;;
	keys/* | cabine/key.h) echo 15 ;;
	engine/ingest/* | cabine/readings.h | cabine/import.h | cabine/sheet.h | cabine/opfile.h | cabine/signal_csv.h) echo 20 ;;
	engine/store/* | cabine/store.h | cabine/fill.h) echo 30 ;;
	engine/scenario/* | cabine/scenario.h | cabine/source.h | cabine/samples.h | cabine/weather.h | cabine/operator.h) echo 40 ;;
	engine/sharing/* | cabine/sharing.h) echo 50 ;;
	engine/billing/* | cabine/bill.h) echo 60 ;;
	engine/run/* | cabine/run.h) echo 70 ;;
	engine/analyse/* | cabine/alerts.h | cabine/curves.h | cabine/appliances.h | cabine/warnings.h | cabine/solar.h | cabine/pv.h | cabine/forecast.h | cabine/reconcile.h | cabine/fairness.h) echo 80 ;;
	reports/* | cabine/report.h | cabine/site.h) echo 90 ;;
	scenarios/* | cabine/demo.h) echo 100 ;;
	engine/cli/* | cabine/cabine.h) echo 110 ;;
	*) echo 0 ;;
	esac
}
bad=0
for f in $(find engine keys reports scenarios include -name '*.[ch]' | LC_ALL=C sort); do
	case "$f" in
	include/cabine/*) self=$(rank "cabine/${f#include/cabine/}") ;;
	*) self=$(rank "$f") ;;
	esac
	if [ "$self" = 0 ]; then
		echo "layout: $f: in no stage (expected a folder of docs/ARCHITECTURE.md)"
		bad=1
		continue
	fi
	for h in $(sed -n 's/^#include "\(.*\)"/\1/p' "$f"); do
		r=$(rank "$h")
		if [ "$r" = 0 ] && [ ! -f "$(dirname "$f")/$h" ]; then
			echo "layout: $f: includes '$h', which is in no stage"
			bad=1
		elif [ "$r" -gt "$self" ]; then
			echo "layout: $f: includes '$h' of a higher stage"
			bad=1
		fi
	done
	case "$f" in
	*.c)
		n=$(wc -l <"$f")
		if [ "$n" -gt 800 ]; then
			echo "layout: $f: $n lines (expected at most 800: split it by job)"
			bad=1
		fi
		;;
	esac
done
exit $bad
