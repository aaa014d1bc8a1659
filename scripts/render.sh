#!/bin/sh
# make render: what a household or an assembly sees when it opens the
# workbooks. Runs `cabine demo` into a
# temporary folder, converts a French invoice, community.xlsx,
# compare.xlsx, sibelga.xlsx, alerts.xlsx and curves.xlsx to PDF with LibreOffice, fails
# unless every conversion gave a non-empty PDF (so it also proves that
# LibreOffice opens them), and writes the first page of each as a PNG into
# docs/img/ (60 dpi: small enough to commit).
# Optional tooling, not part of `make test`: it needs LibreOffice Calc and
# poppler's pdftoppm, installed here with apt-get when missing (as root).
set -e
CABINE=${CABINE:-./cabine}
IMG=${IMG:-docs/img}
INVOICE=${INVOICE:-h01} # a French-speaking household of the demo

if ! command -v soffice >/dev/null 2>&1 || ! command -v pdftoppm >/dev/null 2>&1; then
	if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
		echo "render: installing libreoffice-calc and poppler-utils"
		DEBIAN_FRONTEND=noninteractive apt-get install -y -q \
			--no-install-recommends libreoffice-calc poppler-utils >/dev/null
	else
		echo "render: needs soffice (libreoffice-calc) and pdftoppm (poppler-utils)" >&2
		exit 1
	fi
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$CABINE" demo --quiet --out "$tmp/demo"
# (cabine demo also writes alerts.xlsx and curves.xlsx)

mkdir -p "$tmp/pdf" "$IMG"
set -- "invoices/$INVOICE.xlsx:invoice" community.xlsx:community \
	compare.xlsx:compare sibelga.xlsx:sibelga alerts.xlsx:alerts \
	curves.xlsx:curves
failed=0
for item in "$@"; do
	src="$tmp/demo/${item%%:*}"
	name=${item##*:}
	cp "$src" "$tmp/pdf/$name.xlsx"
	# A private profile: never touch the user's LibreOffice settings,
	# and no clash with a LibreOffice already running.
	soffice -env:UserInstallation="file://$tmp/profile" --headless \
		--convert-to pdf --outdir "$tmp/pdf" "$tmp/pdf/$name.xlsx" \
		>"$tmp/pdf/$name.log" 2>&1 || true
	pdf="$tmp/pdf/$name.pdf"
	if [ ! -s "$pdf" ] || ! head -c 5 "$pdf" | grep -q '%PDF-'; then
		echo "render: FAIL ${item%%:*}: LibreOffice gave no PDF" >&2
		sed 's/^/  /' "$tmp/pdf/$name.log" >&2
		failed=$((failed + 1))
		continue
	fi
	pages=$(pdfinfo "$pdf" 2>/dev/null | sed -n 's/^Pages: *//p')
	pdftoppm -png -r 60 -singlefile -f 1 -l 1 "$pdf" "$IMG/$name"
	echo "render: ${item%%:*}: ${pages:-?} page(s) -> $IMG/$name.png ($(wc -c <"$IMG/$name.png") bytes)"
done
if [ "$failed" -ne 0 ]; then
	echo "render: $failed workbook(s) did not open in LibreOffice" >&2
	exit 1
fi
echo "render: every workbook opened in LibreOffice"
