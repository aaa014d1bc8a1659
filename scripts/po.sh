#!/bin/sh
# The messages of cabine for its translators (po/README.md).
#   sh scripts/po.sh pot OUT   extract every message of the sources into
#                              the template OUT (xgettext: _(), N_() and
#                              P_() of engine/base/i18n.h)
#   sh scripts/po.sh update DIR  extract into DIR/cabine.pot and merge it
#                              into every po/*.po (`make po`): new
#                              messages come in untranslated, changed ones
#                              fuzzy, for a person to translate
set -e
cd "$(dirname "$0")/.."
pot() {
	xgettext --language=C --from-code=UTF-8 --keyword=_ --keyword=N_ \
		--keyword=P_:1,2 --sort-output --add-location=file \
		--package-name=cabine -o "$1" \
		$(find engine keys reports scenarios -name '*.[ch]' | LC_ALL=C sort)
}
case "$1" in
pot) pot "$2" ;;
update)
	mkdir -p "$2"
	pot "$2/cabine.pot"
	for p in po/*.po; do
		msgmerge --quiet --update --backup=none "$p" "$2/cabine.pot"
	done
	;;
*)
	echo "usage: sh scripts/po.sh pot OUT | update DIR" >&2
	exit 2
	;;
esac
