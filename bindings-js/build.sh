#!/bin/sh
# Development build of tasker-core-ts: npm ci when the lock file changed, the Node-API addon,
# the TypeScript (dist/ for the package, build/ for the tests) and the Javet bundle.
set -eu
cd "$(dirname "$0")"
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund
fi
sh ./build-addon.sh
npx --no-install tsc -p tsconfig.json
npx --no-install tsc -p tsconfig.test.json
npm run --silent bundle:javet
echo "build.sh: dist/, build/ and build/javet/suite.js are up to date"
