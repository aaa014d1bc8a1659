#!/bin/sh
# Regenerate golden files for a person to review (git diff); CI never runs it.
set -e
tmp=$(mktemp -d)
./cabine demo --quiet --out "$tmp/demo"
cp "$tmp/demo/summary.json" "$tmp/demo/invoices.csv" tests/cli/cases/demo_golden_summary/expect/
rm -rf "$tmp"
make -s build/tests/test_xlsx build/tests/test_invoices
CABINE_GOLDEN_UPDATE=1 build/tests/test_xlsx >/dev/null
CABINE_GOLDEN_UPDATE=1 build/tests/test_invoices >/dev/null
echo "golden files updated: review with git diff tests/cli/cases/ tests/golden/"
