#!/usr/bin/env bash
# Builds the tasker-core-py wheel into bindings-python/target/dist from the reactor's outputs:
# native/target/libtasker.so, ffi-bridge/target/tasker-bridge.jar and (when built) the AOT cache.
# Override with TASKER_LIBRARY / TASKER_CLASSPATH / TASKER_AOT_CACHE. Standard library only.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/.." && pwd)
lib=${TASKER_LIBRARY:-$root/native/target/libtasker.so}
jar=${TASKER_CLASSPATH:-$root/native/target/tasker-bridge.jar}
aot=${TASKER_AOT_CACHE:-$root/native/target/tasker.aot}
for f in "$lib" "$jar"; do
  if [ ! -f "$f" ]; then
    echo "build-package: $f is missing; build it first: ./mvnw -B -DskipTests -pl native -am package" >&2
    exit 1
  fi
done
python=${PYTHON:-$(command -v python3)}
args=(--lib "$lib" --jar "$jar" --out "$here/target/dist")
[ -f "$aot" ] && args+=(--aot "$aot")
"$python" "$here/tools/build_wheel.py" "${args[@]}"
