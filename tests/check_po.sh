#!/bin/sh
# Every message of the sources is translated in every po/*.po: the
# messages are extracted as `make po` does (scripts/po.sh), and msgcmp
# fails on a message id that a .po lacks, or has only untranslated or
# fuzzy; msgfmt --check checks the translations' format directives.
# Prints one line per problem; exit 1 when there is any.
cd "$(dirname "$0")/.." || exit 1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
sh scripts/po.sh pot "$tmp/cabine.pot" || exit 1
bad=0
for po in po/*.po; do
	if ! msgcmp "$po" "$tmp/cabine.pot" 2>"$tmp/err"; then
		sed "s|^|po: |" "$tmp/err"
		echo "po: $po lacks translations: run 'make po' and translate the new messages"
		bad=1
	fi
	if ! msgfmt --check -o /dev/null "$po" 2>"$tmp/err"; then
		sed "s|^|po: |" "$tmp/err"
		bad=1
	fi
done
exit $bad
