#!/usr/bin/env bash
# Measures the cluster topology of scripts/run-cluster.sh (docs/benchmarks.md, "The cluster topology"): the resident
# memory of every daprd, jar, the broker and the scheduler, and the lateness of REMINDERS (default 30) reminders fired
# by the real scheduler; then task-created's scale from zero, POD_ROUNDS times (default 5: its daprd and jar started
# together, split from daprd's log, against a bare daprd), the events per second one task-created instance sustains
# through its real daprd (INSTANCE_EVENTS, default 2000, posted straight to it 8 at a time), and events per second from
# the API to task-created's and task-completed's effects for TASKS tasks (default 300). Needs scripts/build-platform.sh and the packaged jars
# (mvn -DskipTests package); with JDK 25 and the bench jar, task-created runs on an AOT cache trained as the image's.
set -euo pipefail
cd "$(dirname "$0")/.."
exec java -cp functions/tools/platform-kit/target/platform-kit-0.1.0-SNAPSHOT-all.jar com.todo.platform.ClusterBench "$@"
