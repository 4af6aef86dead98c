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

runner=functions/platform-kit/target/platform-kit-0.1.0-SNAPSHOT-all.jar
stale=false
for jar in "$runner" functions/{event-gateway,task-api,task-created,task-updated,task-completed,task-deleted,reminder-due,recurring-scheduled}/target/*-0.1.0-SNAPSHOT-all.jar; do
  if [ ! -f "$jar" ] || [ -n "$(find pom.xml shared-events functions -newer "$jar" -type f \
        \( -name '*.java' -o -name 'pom.xml' -o -name '*.yml' -o -name '*.sql' -o -name '*.json' -o -name '*.properties' \
           -o -name '*.xml' \) -not -path '*/target/*' -print -quit)" ]; then
    stale=true
  fi
done
if [ "$stale" = true ]; then
  echo "Building the jars (first run, or the sources changed)..." >&2
  mvn -B -q -DskipTests package
fi

read -r -a java_opts <<< "${JAVA_OPTS:-}"
exec java "${java_opts[@]}" -jar "$runner" "$@"
