#!/usr/bin/env bash
# Refresh the vendored front-end files from the npm registry (versions pinned in package.json).
# The results are committed: nothing is downloaded when the site runs or when the tests run.
set -euo pipefail
cd "$(dirname "$0")/.."
npm ci --ignore-scripts --no-audit --no-fund
bi=node_modules/bootstrap-italia
out=openmandato/portal/static/vendor
rm -rf "$out" && mkdir -p "$out/bootstrap-italia/css" "$out/bootstrap-italia/js" "$out/bootstrap-italia/svg" "$out/htmx"
cp "$bi/dist/css/bootstrap-italia.min.css" "$out/bootstrap-italia/css/"
cp "$bi/dist/js/bootstrap-italia.bundle.min.js" "$out/bootstrap-italia/js/"
cp "$bi/dist/svg/sprites.svg" "$out/bootstrap-italia/svg/"
cp "$bi/LICENSE" "$out/bootstrap-italia/LICENSE"
for family in Titillium_Web Lora Roboto_Mono; do
  mkdir -p "$out/bootstrap-italia/fonts/$family"
  cp "$bi/dist/fonts/$family/"*.woff2 "$bi/dist/fonts/$family/"*.woff "$out/bootstrap-italia/fonts/$family/"
done
cp node_modules/htmx.org/dist/htmx.min.js "$out/htmx/"
cp node_modules/htmx.org/LICENSE "$out/htmx/LICENSE"
# AgID's SPID icon for the "Entra con SPID" button (italia/spid-smart-button, EUPL-1.2; the CIE button's
# artwork is not published on npm, see docs/spid-cie.md)
spid=openmandato/spid/static/spid/vendor/spid-smart-button
rm -rf "$spid" && mkdir -p "$spid"
cp node_modules/spid-smart-button/dist/img/spid-ico-circle-bb.svg "$spid/"
cp node_modules/spid-smart-button/LICENSE.md "$spid/LICENSE.md"
mkdir -p openmandato/portal/tests/vendor
cp node_modules/axe-core/axe.min.js openmandato/portal/tests/vendor/
cp node_modules/axe-core/LICENSE openmandato/portal/tests/vendor/axe-LICENSE
echo "vendored: $(du -sh "$out" | cut -f1)"
