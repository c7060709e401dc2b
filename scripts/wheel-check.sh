#!/bin/sh
# Build the wheel, install it (with the locked dependencies) into a clean venv outside the checkout, and
# check that `openmandato serve` from it serves a page, a static file and the English translation.
set -eu
work=$(mktemp -d)
port=${WHEEL_CHECK_PORT:-8254}
trap 'kill -INT $server 2>/dev/null || true; sleep 3; rm -rf "$work"' EXIT
python3 -m venv "$work/venv"
"$work/venv/bin/pip" install -q --disable-pip-version-check --require-hashes -r requirements/base.lock
"$work/venv/bin/pip" wheel -q --disable-pip-version-check --no-deps -w "$work/dist" .
"$work/venv/bin/pip" install -q --disable-pip-version-check --no-deps "$work"/dist/openmandato-*.whl
cd "$work"
export OPENMANDATO_VAR_DIR="$work/var" DATABASE_URL="sqlite:///$work/var/db.sqlite3" CACHE_URL=locmem://
mkdir -p "$work/var"
"$work/venv/bin/openmandato" migrate --noinput -v0
"$work/venv/bin/openmandato" load_demo >/dev/null
"$work/venv/bin/openmandato" serve --bind "127.0.0.1:$port" --workers 1 >"$work/serve.log" 2>&1 &
server=$!
for _ in $(seq 1 120); do curl -sf -o /dev/null "http://127.0.0.1:$port/healthz" && break; sleep 1; done
curl -sf "http://127.0.0.1:$port/cremona/" | grep -q "Cremona"
curl -sf -o /dev/null "http://127.0.0.1:$port/static/vendor/bootstrap-italia/css/bootstrap-italia.min.css"
curl -sf -H "Cookie: django_language=en" "http://127.0.0.1:$port/cremona/" | grep -q '<html lang="en"'
echo "wheel-check: the installed wheel serves pages, static files and translations"
