#!/usr/bin/env bash
# Build a wheel, install it into a fresh virtual environment outside the checkout, and run the
# commands a new user would from an unrelated directory. Fails on any error. pip's cache is reused,
# so after the first run only the wheel itself is built and installed anew.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PYTHON="${PYTHON:-python3}"
TMP="$(mktemp -d "${TMPDIR:-/tmp}/cgc-wheel.XXXXXX")"
trap 'rm -rf "$TMP"' EXIT

step() { printf 'check-wheel: %s\n' "$*"; }

step "copying the sources (the checkout stays clean of build files)"
mkdir "$TMP/src"
tar -C "$ROOT" --exclude=./.venv --exclude=./.git --exclude=./build --exclude=./dist --exclude=./out \
    --exclude='*.egg-info' --exclude=__pycache__ -cf - . | tar -C "$TMP/src" -xf -

step "building the wheel"
"$PYTHON" -m pip wheel --quiet --no-deps --wheel-dir "$TMP/dist" "$TMP/src"
WHEEL="$(ls "$TMP"/dist/cgc_rules-*.whl)"

step "installing $(basename "$WHEEL") into a fresh virtual environment"
"$PYTHON" -m venv "$TMP/venv"
"$TMP/venv/bin/pip" install --quiet "$WHEEL"
CGC="$TMP/venv/bin/cgc"

mkdir "$TMP/work"
cd "$TMP/work"
unset CGC_RULESETS CGC_PROFILES

step "cgc rulesets list"
"$CGC" rulesets list >/dev/null

step "cgc evaluate openbare-ruimte-voldoet.yaml (must be compliant: exit 0)"
"$CGC" evaluate "$ROOT/examples/openbare-ruimte-voldoet.yaml" -r hnn-gww >/dev/null

step "cgc evaluate weg-voldoet-niet.yaml (must be not compliant: exit 1)"
status=0
"$CGC" evaluate "$ROOT/examples/weg-voldoet-niet.yaml" -r hnn-gww >/dev/null || status=$?
[ "$status" -eq 1 ] || { echo "check-wheel: expected exit 1, got $status" >&2; exit 1; }

step "cgc generate tender"
"$CGC" generate tender --profile amersfoort --type wegen -o "$TMP/out" >/dev/null
for suffix in docx pdf html; do
    [ -s "$TMP/out/bestektekst-circulariteit_amersfoort_wegen.$suffix" ] || {
        echo "check-wheel: cgc generate wrote no $suffix" >&2; exit 1; }
done

step "cgc corridor match"
"$CGC" corridor match amersfoort-voorbeeld --as-of 2026-05-20 >/dev/null

step "ok: the wheel installs and runs outside the checkout"
