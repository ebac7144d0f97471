#!/usr/bin/env bash
# npm test: installs what the tests need (npm packages, Debian's Chromium, poppler-utils, postgresql and redis-server), then runs the type
# check, the format check and the linter, the unit and integration tests (vitest), the browser
# tests (Playwright) and a quick bench.
set -euo pipefail
cd "$(dirname "$0")/.."
export VITE_CONFIG_NATIVE_IGNORE_WARNING=true

# 1. npm packages, when missing or older than the lock file.
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "==> Installing npm packages"
  npm ci --no-audit --no-fund
fi

# 2. Debian packages the tests use: Chromium for Playwright (never a download by Playwright), and
# poppler-utils (pdfinfo, pdftotext) to read back the briefing's PDF.
install_debian() { # <package>
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null; then
    echo "==> Installing $1 (Debian package)"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$1" >/dev/null
  elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
    echo "==> Installing $1 (Debian package)"
    sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$1" >/dev/null
  else
    return 1
  fi
}
CHROMIUM="${CHROMIUM_PATH:-/usr/bin/chromium}"
if [ ! -x "$CHROMIUM" ] && ! install_debian chromium; then
  echo "Chromium is missing. Install it with: sudo apt-get install chromium" >&2
  echo "(or point CHROMIUM_PATH at a Chromium or Chrome binary), then run npm test again." >&2
  exit 1
fi
if ! command -v pdftotext >/dev/null || ! command -v pdfinfo >/dev/null; then
  if ! install_debian poppler-utils; then
    echo "pdftotext and pdfinfo are missing. Install them with: sudo apt-get install poppler-utils" >&2
    exit 1
  fi
fi

# Redis for the tests of several processes sharing workshops (a throwaway redis-server per test
# file: tests/helpers/redis.ts; no daemon is used or needed).
if [ ! -x "${REDIS_SERVER:-/usr/bin/redis-server}" ]; then
  if ! install_debian redis-server; then
    echo "redis-server is missing. Install it with: sudo apt-get install redis-server" >&2
    echo "(or point REDIS_SERVER at a redis-server binary), then run npm test again." >&2
    exit 1
  fi
fi
# Postgres for the tests of the Postgres store (a throwaway cluster per run: tests/helpers/postgres.ts).
if ! command -v initdb >/dev/null && ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 && [ -z "${POSTGRES_BIN:-}" ]; then
  if ! install_debian postgresql; then
    echo "Postgres is missing. Install it with: sudo apt-get install postgresql" >&2
    echo "(or point POSTGRES_BIN at the folder holding initdb, pg_ctl and postgres), then run npm test again." >&2
    exit 1
  fi
fi

echo "==> Type check (svelte-check)"
npm run check

echo "==> Format check (Prettier)"
npx prettier --check . --log-level warn

echo "==> Lint (ESLint, with switch-exhaustiveness-check)"
npx eslint .

echo "==> Build"
mkdir -p .test-reports
# Its output is checked by tests/integration/quiet-output.test.ts (nothing alarming for newcomers).
npm run --silent build 2>&1 | tee .test-reports/build.log

echo "==> Unit and integration tests (vitest)"
ROUNDTABLE_BUILD_LOG=.test-reports/build.log npx vitest run --reporter=default --reporter=json --outputFile.json=.test-reports/vitest.json

echo "==> Browser tests (Playwright on $CHROMIUM)"
CHROMIUM_PATH="$CHROMIUM" PLAYWRIGHT_JSON_OUTPUT_NAME=.test-reports/playwright.json npx playwright test --reporter=list,json

echo "==> Benchmark smoke run (no timing assertions)"
node scripts/bench.js --quick

# One closing line for CI: every test counted across vitest and Playwright.
node -e '
const fs = require("fs");
const v = JSON.parse(fs.readFileSync(".test-reports/vitest.json", "utf8"));
const p = JSON.parse(fs.readFileSync(".test-reports/playwright.json", "utf8")).stats;
const passed = v.numPassedTests + p.expected + p.flaky;
const failed = v.numFailedTests + p.unexpected;
const skipped = v.numPendingTests + v.numTodoTests + p.skipped;
console.log(`${passed} passed, ${failed} failed` + (skipped ? `, ${skipped} skipped` : ""));
'
