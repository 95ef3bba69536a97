#!/usr/bin/env bash
# The main job on the bundled example data: run every example the way its header says
# (`# cgc evaluate …` or `# cgc assess …`) and print the explained reports. A non-compliant
# example (exit 1) is an expected outcome; bad input (exit 2) stops the demo.
set -uo pipefail
cd "$(dirname "$0")/.."
BIN=${BIN:-.venv/bin}
mkdir -p out

for file in examples/*.yaml; do
  line=$(grep -m1 -E '^# cgc (evaluate|assess) ' "$file") || continue
  read -r -a args <<< "${line#\# cgc }"
  echo
  echo "════ cgc ${args[*]}"
  "$BIN/cgc" "${args[@]}"
  rc=$?
  if [ $rc -ge 2 ]; then echo "demo: unexpected error (exit $rc) on $file" >&2; exit $rc; fi
done

"$BIN/cgc" evaluate examples/weg-voldoet-niet.yaml -r hnn-gww -r seb --format html -o out/weg-voldoet-niet.html || true
"$BIN/cgc" evaluate examples/weg-voldoet-niet.yaml -r hnn-gww -r seb --format pdf -o out/weg-voldoet-niet.pdf || true
echo
echo "Reports for examples/weg-voldoet-niet.yaml also written to out/weg-voldoet-niet.html and .pdf"

echo
echo "════ cgc generate tender emvi checklist --profile amersfoort --type wegen -o out/amersfoort"
"$BIN/cgc" generate tender emvi checklist --profile amersfoort --type wegen -o out/amersfoort || exit $?

echo
echo "════ cgc score examples/aanbesteding/tender.yaml examples/aanbesteding/bod-*.yaml"
"$BIN/cgc" score examples/aanbesteding/tender.yaml examples/aanbesteding/bod-*.yaml --format docx \
  -o out/gunningsadvies.docx --letters out/brieven || exit $?
"$BIN/cgc" score examples/aanbesteding/tender.yaml examples/aanbesteding/bod-*.yaml || exit $?
echo
echo "════ cgc verify examples/aanbesteding/tender.yaml …/bod-epsilon.yaml …/oplevering-epsilon.yaml (exit 1: shortfall)"
"$BIN/cgc" verify examples/aanbesteding/tender.yaml examples/aanbesteding/bod-epsilon.yaml \
  examples/aanbesteding/oplevering-epsilon.yaml
[ $? -ge 2 ] && exit 2

echo
echo "════ cgc corridor match amersfoort-voorbeeld --as-of 2026-05-20"
"$BIN/cgc" corridor match amersfoort-voorbeeld --as-of 2026-05-20 || exit $?
"$BIN/cgc" corridor calendar amersfoort-voorbeeld --as-of 2026-05-20 -o out/calendar.html || exit $?
echo "Project calendar written to out/calendar.html"

echo
echo "════ cgc monitor: a SYNTHETIC region (examples/monitoring), recorded into a throwaway store"
rm -rf out/monitoring
"$BIN/python" examples/monitoring/generate_region.py -o out/monitoring --record out/monitoring/store.sqlite || exit $?
"$BIN/cgc" monitor --db out/monitoring/store.sqlite --year 2026 || exit $?
"$BIN/cgc" monitor report --db out/monitoring/store.sqlite --year 2026 --format pdf -o out/jaarevaluatie-2026.pdf || exit $?
echo "Yearly evaluation written to out/jaarevaluatie-2026.pdf"
