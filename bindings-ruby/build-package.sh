#!/usr/bin/env bash
# Builds target/tasker-core-rb-<version>.gem with libtasker.so, the shaded core jar and the AOT
# cache inside (lib/tasker_core/vendor/). It stages a copy of the gem's files in target/gem so
# the source tree never holds the binaries.
#
#   bindings-ruby/build-package.sh [NATIVE_DIR]
#
# NATIVE_DIR holds libtasker.so, tasker-bridge.jar and (optionally) tasker.aot; default
# ../native/target, the native module's build output (./mvnw -pl native -am package).
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
native_dir=${1:-${TASKER_NATIVE_DIR:-$here/../native/target}}
version=$(sed -n "s/^ *VERSION = '\(.*\)'$/\1/p" "$here/lib/tasker_core/version.rb")

for f in libtasker.so tasker-bridge.jar; do
  if [ ! -f "$native_dir/$f" ]; then
    echo "build-package: $native_dir/$f is missing; build it with ./mvnw -pl native -am package" >&2
    exit 1
  fi
done
command -v gem >/dev/null || { echo "build-package: 'gem' not found (apt-get install ruby)" >&2; exit 1; }

stage=$here/target/gem
rm -rf "$stage"
mkdir -p "$stage/lib/tasker_core/vendor"
cp -R "$here/lib" "$here/bin" "$here/tasker-core-rb.gemspec" "$stage/"
cp "$native_dir/libtasker.so" "$native_dir/tasker-bridge.jar" "$stage/lib/tasker_core/vendor/"
if [ -f "$native_dir/tasker.aot" ]; then
  cp "$native_dir/tasker.aot" "$stage/lib/tasker_core/vendor/"
else
  echo "build-package: no tasker.aot in $native_dir; the gem ships without an AOT cache" >&2
fi

out=$here/target/tasker-core-rb-$version.gem
(cd "$stage" && gem build --silent tasker-core-rb.gemspec --output "$out")
echo "$out"
