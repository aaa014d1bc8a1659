#!/bin/sh
# Install the Debian packages cabine needs, only those missing.
# Called by the Makefile before the first build; safe to run again.
set -e
need=""
for p in build-essential libglpk-dev libsqlite3-dev libxlsxwriter-dev libcjson-dev nettle-dev zlib1g-dev libzip-dev libexpat1-dev clang clang-format unzip gettext; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || need="$need $p"
done
[ -z "$need" ] && exit 0
echo "cabine: installing Debian packages:$need" >&2
SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq $need >/dev/null
