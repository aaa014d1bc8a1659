#!/bin/sh
# Run every test binary, fuzz replay and CLI test; sum into one last line
# "N passed, N failed". Exit 1 when anything failed.
BUILD=${1:-build}
BIN=${2:-./cabine}
passed=0
failed=0
log=$(mktemp)
# The program the tests that run it use (test_site_browser).
export CABINE_BIN="$BIN"
for t in "$BUILD"/tests/test_* "$BUILD"/fuzz/fuzz_*; do
	[ -x "$t" ] || continue
	case "$t" in
	*/fuzz/*) name=$(basename "$t"); "$t" "tests/fuzz/corpus/${name#fuzz_}" >"$log" 2>&1 ;;
	*) "$t" >"$log" 2>&1 ;;
	esac
	rc=$?
	res=$(grep '^#RESULT' "$log" | tail -n 1)
	grep -v '^#RESULT' "$log"
	if [ -z "$res" ]; then
		echo "FAIL $t: exited $rc without a result line"
		failed=$((failed + 1))
		continue
	fi
	set -- $res
	passed=$((passed + $2))
	failed=$((failed + $3))
	if [ "$rc" -ne 0 ] && [ "$3" -eq 0 ]; then
		echo "FAIL $t: exit status $rc"
		failed=$((failed + 1))
	fi
done
# The library exports only cab_-prefixed names (STYLE.md: no unprefixed
# exported symbols): nm lists every global symbol the archive defines.
bad=$(nm -g --defined-only "$BUILD/libcabine.a" 2>/dev/null | awk 'NF == 3 && $3 !~ /^cab_/ {print $3}' | sort -u)
if [ -z "$bad" ] && nm -g --defined-only "$BUILD/libcabine.a" 2>/dev/null | grep -q ' T cab_run_new$'; then
	passed=$((passed + 1))
else
	echo "FAIL library symbols: exported without the cab_ prefix: $(echo $bad)"
	failed=$((failed + 1))
fi
# The layout by stage: no include of a higher stage, no source above 800
# lines (tests/check_layout.sh, docs/ARCHITECTURE.md).
if sh tests/check_layout.sh; then
	passed=$((passed + 1))
else
	echo "FAIL tests/check_layout.sh"
	failed=$((failed + 1))
fi
# Every message has its French and Dutch translation (tests/check_po.sh,
# po/README.md).
if sh tests/check_po.sh; then
	passed=$((passed + 1))
else
	echo "FAIL tests/check_po.sh"
	failed=$((failed + 1))
fi
sh tests/cli/run.sh "$BIN" >"$log" 2>&1
grep -v '^#RESULT' "$log"
res=$(grep '^#RESULT' "$log" | tail -n 1)
if [ -n "$res" ]; then
	set -- $res
	passed=$((passed + $2))
	failed=$((failed + $3))
else
	echo "FAIL tests/cli/run.sh: no result line"
	failed=$((failed + 1))
fi
# A real single-node Slurm runs a batch as a job array (tests/slurm/run.sh:
# it installs slurm-wlm and munge, ~40 s); .ci/run asks for it.
if [ "${CABINE_SLURM_TEST:-}" = 1 ]; then
	sh tests/slurm/run.sh "$BIN" >"$log" 2>&1
	cat "$log"
	res=$(sed -n 's/^slurm: \([0-9]*\) passed, \([0-9]*\) failed$/\1 \2/p' "$log" | tail -n 1)
	if [ -n "$res" ]; then
		set -- $res
		passed=$((passed + $1))
		failed=$((failed + $2))
	else
		echo "FAIL tests/slurm/run.sh: no result line"
		failed=$((failed + 1))
	fi
fi
rm -f "$log"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
