#!/usr/bin/env bash
# The main job on the bundled example data: evaluate every example submission against the
# rulesets it is meant for and print the explained reports. A non-compliant example (exit 1)
# is an expected outcome; bad input (exit 2) stops the demo.
set -uo pipefail
cd "$(dirname "$0")/.."
CGC=${CGC:-.venv/bin/cgc}
mkdir -p out

run() {
  local file=$1; shift
  echo
  echo "════ cgc evaluate $file $*"
  "$CGC" evaluate "$file" "$@"
  local rc=$?
  if [ $rc -ge 2 ]; then echo "demo: unexpected error (exit $rc) on $file" >&2; exit $rc; fi
}

run examples/weg-voldoet.yaml -r hnn-gww
"$CGC" evaluate examples/weg-voldoet.yaml -r hnn-gww --format html -o out/weg-voldoet.html >/dev/null
echo
echo "HTML report written to out/weg-voldoet.html"
