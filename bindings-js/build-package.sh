#!/bin/sh
# Builds target/tasker-core-ts-<version>.tgz: dist/ (ESM + .d.ts) and lib/ with the Node-API addon,
# libtasker.so, the shaded core jar and the AOT cache (when the native build made one).
#   build-package.sh NATIVE_DIR     NATIVE_DIR holds libtasker.so, tasker-bridge.jar (+ tasker.aot)
set -eu
here=$(cd "$(dirname "$0")" && pwd)
native=${1:?usage: build-package.sh NATIVE_DIR}
[ -f "$native/libtasker.so" ] || { echo "build-package: $native/libtasker.so missing (build the native module)" >&2; exit 1; }
[ -f "$native/tasker-bridge.jar" ] || { echo "build-package: $native/tasker-bridge.jar missing (the shaded core jar)" >&2; exit 1; }
[ -f "$here/dist/index.js" ] && [ -f "$here/lib/tasker_node.node" ] || sh "$here/build.sh"

stage="$here/target/package"
rm -rf "$stage" && mkdir -p "$stage/lib"
cp -R "$here/dist" "$stage/dist"
cp "$here/package.json" "$here/README.md" "$stage/"
cp "$here/lib/tasker_node.node" "$native/libtasker.so" "$stage/lib/"
cp "$native/tasker-bridge.jar" "$stage/lib/"
for aot in "$native"/*.aot; do [ -f "$aot" ] && cp "$aot" "$stage/lib/"; done
# the package has no dependencies: drop the development-only fields
node -e '
  const fs = require("fs"); const p = process.argv[1] + "/package.json";
  const pkg = JSON.parse(fs.readFileSync(p, "utf8"));
  delete pkg.devDependencies; delete pkg.scripts;
  fs.writeFileSync(p, JSON.stringify(pkg, null, 2) + "\n");' "$stage"
(cd "$stage" && npm pack --silent --pack-destination "$here/target" >/dev/null)
echo "build-package: $(ls "$here"/target/tasker-core-ts-*.tgz)"
