#!/usr/bin/env bash
# Runs the production topology on this machine: Kafka (SASL/SCRAM), the Dapr scheduler, and each of the eight
# deployables' shipped *-all.jar next to its own daprd reading dapr-components/ (docs/deploy.md, "The cluster
# topology on one machine"). Needs the platform built first: scripts/build-platform.sh.
#   PORT=8080               the API's port
#   TODO_DATA_DIR=.cluster  data (PostgreSQL, Kafka, scheduler, secrets) and logs/ (one file per process)
#   TODO_JWT_SECRET         the API's HS256 secret (default: generated once in $TODO_DATA_DIR/jwt-secret)
#   JDBC_URL, JDBC_USER, JDBC_PASSWORD   an external PostgreSQL instead of the embedded one
# Ctrl-C stops every process it started. Builds the jars first when they are missing or older than the sources.
set -euo pipefail
cd "$(dirname "$0")/.."

# shellcheck source=scripts/cluster-jars.sh
source scripts/cluster-jars.sh

read -r -a java_opts <<< "${JAVA_OPTS:-}"
exec java "${java_opts[@]}" -jar "$runner" "$@"
