#!/usr/bin/env bash
# System libraries WeasyPrint needs (Pango, HarfBuzz, fonts) and PostgreSQL for the store tests. Installs them with apt-get
# when they are missing and we may; otherwise says what to install.
set -euo pipefail
need=()
ldconfig -p | grep -q 'libpango-1.0.so' || need+=(libpango-1.0-0)
ldconfig -p | grep -q 'libpangoft2-1.0.so' || need+=(libpangoft2-1.0-0)
ldconfig -p | grep -q 'libharfbuzz.so' || need+=(libharfbuzz0b)
ldconfig -p | grep -q 'libharfbuzz-subset.so' || need+=(libharfbuzz-subset0)
[ -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || need+=(fonts-dejavu-core)
# the house styles name Liberation Sans; the same fonts give the same PDF bytes
[ -f /usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf ] || need+=(fonts-liberation)
[ -f /usr/share/fonts/truetype/liberation2/LiberationSans-Regular.ttf ] || need+=(fonts-liberation2)
# LibreOffice headless: a test opens the generated bid form the way a bidder's spreadsheet would
[ -f /usr/lib/libreoffice/program/libsclo.so ] || need+=(libreoffice-calc-nogui)
# cgc serve: npm installs the NL Design System CSS and axe-core; the browser tests drive Debian's Chromium
command -v npm >/dev/null || need+=(npm)
[ -x /usr/bin/chromium ] || need+=(chromium)
# the OpenID Connect tests run npm's oidc-provider (installed by scripts/web-assets.sh) with node
command -v node >/dev/null || need+=(nodejs)
# the store tests start a throwaway PostgreSQL server from Debian's binaries (initdb, pg_ctl)
compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null || need+=(postgresql)
[ -f /usr/lib/libreoffice/program/libswlo.so ] || need+=(libreoffice-writer-nogui)  # tests convert DOCX to PDF
[ ${#need[@]} -eq 0 ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "installing system packages: ${need[*]}"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
else
  echo "missing system packages: ${need[*]} (install them with your package manager)" >&2
  exit 1
fi
