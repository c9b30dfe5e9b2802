#!/bin/sh
# Compiles the Node-API addon (../native/tasker_node.c) into lib/tasker_node.node with gcc against the
# node-api-headers package (no node-gyp, no header download). napi_* stay undefined in the .node
# file and bind to the host (node, or Javet's library) when it is loaded; -z now makes a missing
# symbol fail that load, not a later call.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
headers="$here/node_modules/node-api-headers/include"
if [ ! -f "$headers/node_api.h" ]; then
  echo "build-addon: $headers/node_api.h missing; run 'npm ci' in $here first" >&2
  exit 1
fi
mkdir -p "$here/lib"
${CC:-gcc} -std=gnu11 -O2 -Wall -Wextra -Werror -fPIC -shared \
  -DNODE_GYP_MODULE_NAME=tasker_node -I"$headers" \
  -o "$here/lib/tasker_node.node" "$here/../native/tasker_node.c" \
  -Wl,-z,now -ldl
echo "build-addon: built $here/lib/tasker_node.node"
