#!/usr/bin/env bash
# Front-end assets of `cgc serve`, from the npm registry with the versions locked in package-lock.json:
# NL Design System CSS (@utrecht/component-library-css, @utrecht/design-tokens), axe-core (accessibility tests)
# and oidc-provider (the OpenID provider tests/test_web_oidc.py runs; it stays in build/web-assets/node_modules).
# `npm ci` runs in build/web-assets (outside the package); the files the app serves are copied into
# cgc_rules/web/static/vendor/, where a wheel built afterwards carries them as package data.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
WORK="$ROOT/build/web-assets"
VENDOR="$ROOT/cgc_rules/web/static/vendor"
command -v npm >/dev/null || { echo "web-assets: npm is missing (install Debian's npm package)" >&2; exit 1; }
mkdir -p "$WORK"
cp "$ROOT/package.json" "$ROOT/package-lock.json" "$WORK/"
(cd "$WORK" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error)
NM="$WORK/node_modules"
rm -rf "$VENDOR" && mkdir -p "$VENDOR"
cp "$NM/@utrecht/component-library-css/dist/index.css" "$VENDOR/utrecht-components.css"
cp "$NM/@utrecht/design-tokens/dist/index.css" "$VENDOR/utrecht-tokens.css"
cp "$NM/axe-core/axe.min.js" "$VENDOR/axe.min.js"
for f in "$NM/@utrecht/component-library-css/LICENSE"* "$NM/@utrecht/design-tokens/LICENSE"* "$NM/axe-core/LICENSE"*; do
  [ -f "$f" ] && cp "$f" "$VENDOR/LICENSE-$(basename "$(dirname "$f")")"
done
echo "web-assets: $(ls "$VENDOR" | tr '\n' ' ')"
