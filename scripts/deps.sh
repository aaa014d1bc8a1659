#!/bin/sh
# Install the Debian packages cabine needs, only those missing.
# Called by the Makefile before the first build; safe to run again.
# `sh scripts/deps.sh --browser` installs what the browser test of the
# inhabitants' pages needs instead (Debian's chromium; tests/unit/
# test_site_browser.c runs it when chromium is missing).
set -e
list="build-essential libglpk-dev libsqlite3-dev libxlsxwriter-dev libcjson-dev nettle-dev zlib1g-dev libdeflate-dev libzip-dev libexpat1-dev clang clang-format unzip libjs-dygraphs gettext"
[ "$1" = "--browser" ] && list="chromium"
need=""
for p in $list; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || need="$need $p"
done
[ -z "$need" ] && exit 0
echo "cabine: installing Debian packages:$need" >&2
SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq $need >/dev/null
