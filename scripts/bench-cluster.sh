#!/usr/bin/env bash
# Measures the cluster topology of scripts/run-cluster.sh (docs/benchmarks.md, "The cluster topology"): the resident
# memory of every daprd, jar, the broker and the scheduler, and the lateness of REMINDERS (default 30) reminders fired
# by the real scheduler. Needs scripts/build-platform.sh and the packaged jars (mvn -DskipTests package).
set -euo pipefail
cd "$(dirname "$0")/.."
exec java -cp functions/tools/platform-kit/target/platform-kit-0.1.0-SNAPSHOT-all.jar com.todo.platform.ClusterBench "$@"
