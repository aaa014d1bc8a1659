#!/bin/sh
# site_shots.sh: what an inhabitant sees — screenshots of the demo's
# community page and of one household's page (desktop and phone width),
# each opening with the sun hours of a signal.csv (`cabine forecast` of
# tests/data/forecast/, the June sample weather: an illustration, the
# demo itself has no "pv"), and of a page with a day of power samples and
# an appliance inventory (scripts/site_example.sh), into docs/img/. Needs Debian's chromium
# (sh scripts/deps.sh --browser). Not part of make test.
set -e
CABINE=${CABINE:-./cabine}
IMG=${IMG:-docs/img}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
shot() { # URL WIDTH HEIGHT PNG
	TZ=Europe/Brussels chromium --headless --no-sandbox --disable-gpu \
		--hide-scrollbars --user-data-dir="$tmp/profile" \
		--window-size="$2,$3" --screenshot="$4" "file://$1" >/dev/null 2>&1
	echo "site_shots: $4"
}
"$CABINE" demo --quiet --out "$tmp/demo"
"$CABINE" forecast tests/data/forecast/scenario.json --quiet \
	--weather tests/data/samples/open_meteo_minutely_15.json --out "$tmp/fc"
"$CABINE" site "$tmp/demo/scenario.json" --quiet --out "$tmp/demo" \
	--signal "$tmp/fc/signal.csv"
tok=$(grep '^h01,' "$tmp/demo/tokens.csv" | cut -d, -f2)
mkdir -p "$IMG"
shot "$tmp/demo/site/index.html" 1100 2600 "$IMG/site-community.png"
shot "$tmp/demo/site/$tok/index.html" 1100 2600 "$IMG/site-household.png"
shot "$tmp/demo/site/$tok/index.html" 390 1700 "$IMG/site-household-phone.png"
sh scripts/site_example.sh "$tmp/ex"
"$CABINE" site "$tmp/ex/scenario.json" --quiet --out "$tmp/ex/out"
tok=$(grep '^maison-a,' "$tmp/ex/out/tokens.csv" | cut -d, -f2)
shot "$tmp/ex/out/site/$tok/index.html" 1100 4300 "$IMG/site-power.png"
