#!/bin/sh
# CLI tests: each folder in tests/cli/cases/ holds
#   cmd      the arguments, one line per command ($OUT is replaced by a
#            fresh output dir); every line but the last must succeed, the
#            checks below apply to the last one; $TMP is a scratch folder
#            (e.g. a store that a failing last command must leave alone)
#   status   the expected exit status
#   stderr   the expected standard error, exactly (optional)
#   stdout   the expected standard output, exactly (optional)
#   files    names that must exist in $OUT afterwards, one a line (optional)
#   expect/  golden files: each must equal the file of the same name in $OUT
#   env      VAR=value words set for the command (optional; test hooks,
#            or LANG=fr_BE.UTF-8 for the messages in French)
#   bin      `hooks`: run the commands with the test build of the command
#            line, $CABINE_HOOKS (default build/tests/cabine-hooks, made
#            by `make test`), which reads the CABINE_TEST_* variables of
#            env (tests/hooks.c); ./cabine ignores them (optional)
#   script   instead of cmd, for a sequence that cmd cannot say (a run
#            killed on purpose, then another): a sh script run inside the
#            case folder with $CABINE, $HOOKS, $OUT and $TMP set; its
#            status, stdout and stderr are checked as a command's, and it
#            checks the output folder itself
# plus its input files. The command runs inside the case folder. When the
# status is not 0 (nor 3: reconcile --fail-on-difference, whose reports
# are written), $OUT must not exist or be empty: no partial output.
# Usage: sh tests/cli/run.sh CABINE (the program to test).
CABINE=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
# Messages in English (the C locale) unless a case's env says otherwise,
# whatever the locale of the person running the tests.
unset LC_ALL LC_MESSAGES LANGUAGE
LANG=C
export LANG
hooks=${CABINE_HOOKS:-build/tests/cabine-hooks}
HOOKS=$(cd "$(dirname "$hooks")" 2>/dev/null && pwd)/$(basename "$hooks")
here=$(cd "$(dirname "$0")" && pwd)
passed=0
failed=0
tmp=$(mktemp -d)
for case in "$here"/cases/*/; do
	name=$(basename "$case")
	out="$tmp/$name/out"
	mkdir -p "$tmp/$name/scratch"
	envs=
	[ -f "$case/env" ] && envs=$(cat "$case/env")
	bin=$CABINE
	if [ -f "$case/bin" ] && [ "$(cat "$case/bin")" = hooks ]; then
		bin=$HOOKS
	fi
	ok=1
	n=0
	[ -f "$case/cmd" ] && n=$(grep -c '' "$case/cmd")
	if [ -f "$case/script" ]; then
		(cd "$case" && CABINE=$CABINE HOOKS=$HOOKS OUT=$out TMP=$tmp/$name/scratch sh script >"$tmp/$name/stdout" 2>"$tmp/$name/stderr")
		rc=$?
	fi
	i=0
	while [ $i -lt "$n" ]; do
		i=$((i + 1))
		args=$(sed -n "${i}p" "$case/cmd" | sed "s|\$OUT|$out|g; s|\$TMP|$tmp/$name/scratch|g")
		(cd "$case" && eval "env $envs \"$bin\" $args" >"$tmp/$name/stdout" 2>"$tmp/$name/stderr")
		rc=$?
		if [ $i -lt "$n" ] && [ $rc != 0 ]; then
			echo "  $name: command $i failed ($rc): $(cat "$tmp/$name/stderr")"
			ok=0
		fi
	done
	want=$(cat "$case/status")
	if [ "$rc" != "$want" ]; then
		echo "  $name: exit status $rc, expected $want"
		ok=0
	fi
	for s in stderr stdout; do
		if [ -f "$case/$s" ] && ! cmp -s "$case/$s" "$tmp/$name/$s"; then
			echo "  $name: $s differs:"
			diff "$case/$s" "$tmp/$name/$s" | head -n 10 | sed 's/^/    /'
			ok=0
		fi
	done
	if [ "$want" != 0 ] && [ "$want" != 3 ] && [ ! -f "$case/script" ] && [ -d "$out" ] && [ -n "$(ls -A "$out")" ]; then
		echo "  $name: failed run left files in its output folder"
		ok=0
	fi
	if [ -f "$case/files" ]; then
		while read -r f; do
			[ -z "$f" ] && continue
			[ -e "$out/$f" ] || { echo "  $name: $f was not written"; ok=0; }
		done <"$case/files"
	fi
	if [ -d "$case/expect" ]; then
		for g in "$case"/expect/*; do
			f=$(basename "$g")
			if ! cmp -s "$g" "$out/$f"; then
				echo "  $name: $f differs from the golden file:"
				diff "$g" "$out/$f" | head -n 10 | sed 's/^/    /'
				ok=0
			fi
		done
	fi
	if [ $ok = 1 ]; then
		passed=$((passed + 1))
	else
		failed=$((failed + 1))
		echo "FAIL cli: $name"
	fi
done
rm -rf "$tmp"
echo "cli: $passed passed, $failed failed"
echo "#RESULT $passed $failed"
[ "$failed" -eq 0 ]
