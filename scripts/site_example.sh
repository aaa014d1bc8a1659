#!/bin/sh
# site_example.sh DIR: write a small co-housing community whose readings
# are Flukso-like power samples (one every 30 s over two weeks of March
# 2024), with a heat pump's 4 kW bursts and a kettle's peaks, a common PV
# installation, a group of three houses, two alerts and an appliance
# inventory: everything `cabine site` can show (docs/site.md). Used by the
# browser test (tests/unit/test_site_browser.c) and scripts/site_shots.sh.
# Deterministic: the same bytes every time (awk's srand with a fixed seed).
set -e
dir=${1:?usage: site_example.sh DIR}
mkdir -p "$dir"
cat >"$dir/scenario.json" <<'EOF'
{
  "name": "echappee-test",
  "period": {"start": "2024-03-04", "end": "2024-03-18"},
  "readings": "power.csv",
  "cabins": [{"id": "tilleul", "locality": "A"}],
  "participants": [
    {"id": "maison-a", "cabin": "tilleul", "meters": {"consumption": "a-c"}, "lang": "fr"},
    {"id": "maison-b", "cabin": "tilleul", "meters": {"consumption": "b-c", "production": "b-pv"}, "lang": "nl"},
    {"id": "maison-c", "cabin": "tilleul", "meters": {"consumption": "c-c"}, "lang": "en"},
    {"id": "maison-d", "cabin": "tilleul", "meters": {"consumption": "d-c"}, "lang": "fr"},
    {"id": "maison-e", "cabin": "tilleul", "meters": {"consumption": "e-c"}, "lang": "fr"},
    {"id": "toit-commun", "kind": "producer", "cabin": "tilleul", "meters": {"production": "pv-c"}}
  ],
  "groups": {"rue-haute": ["maison-a", "maison-b", "maison-c"]},
  "tariff": {"supplier_day_eur_kwh": 0.32, "supplier_night_eur_kwh": 0.26,
             "supplier_fixed_eur_year": 60, "network_eur_kwh": 0.11,
             "network_shared_eur_kwh": {"A": 0.02, "B": 0.04, "C": 0.08, "D": 0.11},
             "network_fixed_eur_year": 30, "taxes_eur_kwh": 0.05,
             "injection_eur_kwh": 0.04},
  "sharing": {"key": "proportional", "price_eur_kwh": 0.16},
  "alerts": [{"start": "2024-03-12T18:00", "end": "2024-03-12T21:00"},
             {"start": "2024-03-07T11:00", "end": "2024-03-07T13:00", "announced": true}],
  "appliances": "appliances.csv"
}
EOF
cat >"$dir/appliances.csv" <<'EOF'
participant;appareil;classe;watts;heures_par_jour;moment;déplaçable;alternative;kwh_mesures;jours_mesures
maison-a;Frigo;indispensable;90;24;;non;;2,3;1
maison-a;Bouilloire;confort;2200;0,25;07:00-08:00;non;Casserole sur le gaz;;
maison-a;Lave-linge;utile;2000;1;18:00-21:00;oui;Le week-end;;
maison-b;Pompe à chaleur;indispensable;4000;3;00:00-24:00;non;;;
maison-b;Télévision;confort;120;3;19:00-22:00;non;Lire;0,9;2
maison-c;Four;utile;2500;0,5;18:00-20:00;oui;"Cuisiner ensemble, ""à l'Échappée""";;
maison-c;Lampes;utile;60;6;17:00-23:00;non;Bougies;;
maison-d;Sèche-linge;confort;2500;1;20:00-22:00;oui;Étendre dehors;;
EOF
printf 'exemple-secret-pour-les-tests-seulement\n' >"$dir/site.secret"
# Power samples: 30-s spacing, 2024-03-03T23:00Z (local midnight of
# 2024-03-04, CET) for 14 days; consumption meters a..e, PV b-pv and
# pv-c (watts, integers).
awk 'BEGIN {
	srand(20240304)
	print "timestamp,meter,watts"
	n = 14 * 2880
	split("a b c d e", m, " ")
	for (k = 0; k < n; k++) {
		s = k * 30            # seconds from local midnight (CET)
		tod = s % 86400 / 3600 # local hour of the day
		day = int(s / 86400)
		# 23:00Z the day before + s
		u = s - 3600
		d = 4 + int((u + 86400) / 86400) - 1
		hh = int(((u % 86400) + 86400) % 86400 / 3600)
		mm = int(((u % 3600) + 3600) % 3600 / 60)
		ss = ((u % 60) + 60) % 60
		ts = sprintf("2024-03-%02dT%02d:%02d:%02dZ", d, hh, mm, ss)
		sun = (tod > 7 && tod < 18.5) ? sin((tod - 7) / 11.5 * 3.14159) : 0
		cloud = 0.55 + 0.45 * sin(day * 1.7)
		for (j = 1; j <= 5; j++) {
			base = 120 + 40 * j + (tod > 6.5 && tod < 8.5 ? 400 : 0) + (tod > 17.5 && tod < 22.5 ? 650 + 60 * j : 0)
			w = base * (0.8 + 0.4 * rand())
			if (j == 1 && tod > 7 && tod < 7.1) w += 2200          # kettle
			if (j == 2 && int(s / 240) % 5 == 0) w += 4000         # heat pump bursts
			if (j == 3 && tod > 18 && tod < 18.5) w += 2500        # oven
			if (j == 4 && day % 3 == 0 && tod > 20 && tod < 21) w += 2500
			# the evening alert of 2024-03-12 (day 8): everyone cuts
			if (day == 8 && tod >= 18 && tod < 21) w *= (j == 5 ? 1.1 : 0.55)
			printf "%s,%s-c,%d\n", ts, m[j], int(w)
		}
		printf "%s,b-pv,%d\n", ts, int(3500 * sun * cloud * (0.9 + 0.2 * rand()))
		printf "%s,pv-c,%d\n", ts, int(9000 * sun * cloud * (0.9 + 0.2 * rand()))
	}
}' >"$dir/power.csv"
