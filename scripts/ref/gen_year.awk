# The reference file of the pandas / DuckDB comparison (make bench):
# N households (meters hNNN-c) and one common PV installation (pv) over the
# local year 2024, one row per meter and quarter-hour, sorted by time then
# meter as an operator's export is: N = 100 gives 3.55 M rows, ~120 MB.
# usage: awk -v n=100 -f gen_year.awk > readings.csv
BEGIN {
	srand(18)
	print "timestamp,meter,kwh"
	t0 = 1704063600 # 2024-01-01T00:00 Brussels = 2023-12-31T23:00Z
	nt = 366 * 96
	split("31 29 31 30 31 30 31 31 30 31 30 31", mdays, " ")
	for (t = 0; t < nt; t++) {
		s = t0 + t * 900
		days = int(s / 86400); sec = s % 86400
		# civil date from days since 1970-01-01 (2023-12-31 or 2024)
		y = 2024; d = days - 19723 # 19723 = 2024-01-01
		if (d < 0) { ts = sprintf("2023-12-31T%02d:%02d:00Z", int(sec / 3600), int(sec % 3600 / 60)) }
		else {
			m = 1
			while (d >= mdays[m]) { d -= mdays[m]; m++ }
			ts = sprintf("%04d-%02d-%02dT%02d:%02d:00Z", y, m, d + 1, int(sec / 3600), int(sec % 3600 / 60))
		}
		q = t % 96
		sun = (q > 30 && q < 70) ? sin((q - 30) / 40 * 3.14159265) : 0
		printf "%s,pv,%.6f\n", ts, 15 * 0.25 * sun * (0.3 + 0.7 * rand())
		for (i = 0; i < n; i++)
			printf "%s,h%03d-c,%.6f\n", ts, i, 0.05 + 0.1 * rand() + (q > 70 && q < 88 ? 0.2 : 0)
	}
}
