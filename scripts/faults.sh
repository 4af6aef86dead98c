#!/usr/bin/env bash
# Kills every part of the production topology on this machine once under load and restarts it (FaultDriver): each
# deployable's jar and its daprd, the Dapr scheduler, Kafka and PostgreSQL, one at a time. Judges each round from
# the database and the topics, and writes the table into docs/reliability.md. Needs the platform built first
# (scripts/build-platform.sh); builds the jars when they are missing or older than the sources.
#   FAULTS=short          the short rounds mvn verify runs (ClusterFaultsTest), instead of the long ones
#   FAULTS_PARTS=a,b      only these parts (names as in the table: task-api, daprd-task-api, scheduler, kafka,
#                         postgres, ...): one row reproduced; docs/reliability.md is left alone
# Data and logs of the run stay in target/faults-*/. Loopback only; stops by itself (about 25 minutes long, 15 short).
set -euo pipefail
cd "$(dirname "$0")/.."

# shellcheck source=scripts/cluster-jars.sh
source scripts/cluster-jars.sh

exec java -cp "$runner" com.todo.platform.FaultsMain "$@"
