#!/usr/bin/env bash
# Runs the Python benchmarks on a database of their own (created on the tasker server, dropped
# after): ./bindings-python/bench/run.sh [roundtrip|e2e|all]
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
export TASKER_LIBRARY=${TASKER_LIBRARY:-$root/native/target/libtasker.so}
export TASKER_CLASSPATH=${TASKER_CLASSPATH:-$root/native/target/tasker-bridge.jar}
server=$("$root/scripts/tasker" db url)
db="tasker_py_bench_$$"
psql -q "$server" -c "create database $db" >/dev/null
trap 'psql -q "$server" -c "drop database if exists $db with (force)" >/dev/null' EXIT
export DATABASE_URL="${server%/*}/$db"
python=${PYTHON:-/usr/bin/python3}
what=${1:-all}
if [ "$what" = all ] || [ "$what" = roundtrip ]; then "$python" "$here/bench.py" roundtrip; fi
if [ "$what" = all ] || [ "$what" = e2e ]; then "$python" "$here/bench.py" e2e --tasks 200; fi
