# The scenario of the reference comparison: the households of gen_year.awk
# and the common PV as a producer, proportional key, 2024.
BEGIN {
	print "{\"name\": \"bench-ref\","
	print "\"period\": {\"start\": \"2024-01-01\", \"end\": \"2025-01-01\"},"
	print "\"readings\": \"readings.csv\","
	print "\"participants\": ["
	print "{\"id\": \"pv\", \"kind\": \"producer\", \"meters\": {\"production\": \"pv\"}},"
	for (i = 0; i < n; i++)
		printf "{\"id\": \"h%03d\", \"meters\": {\"consumption\": \"h%03d-c\"}, \"lang\": \"fr\"}%s\n", i, i, i + 1 < n ? "," : ""
	print "],"
	print "\"tariff\": {\"supplier_day_eur_kwh\": 0.25, \"supplier_night_eur_kwh\": 0.22,"
	print "  \"network_eur_kwh\": 0.12, \"network_shared_eur_kwh\": {\"A\": 0.03, \"B\": 0.05, \"C\": 0.09, \"D\": 0.12},"
	print "  \"taxes_eur_kwh\": 0.05, \"injection_eur_kwh\": 0.03},"
	print "\"sharing\": {\"key\": \"proportional\", \"price_eur_kwh\": 0.15}}"
}
