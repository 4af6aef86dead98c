#!/usr/bin/env bash
# Sourced by run-cluster.sh and faults.sh: builds the eight deployables' runnable jars and the platform runner when
# one is missing or older than the sources. Sets $runner, the platform runner's jar.
runner=functions/tools/platform-kit/target/platform-kit-0.1.0-SNAPSHOT-all.jar
stale=false
for jar in "$runner" functions/{event-gateway,task-api,task-created,task-updated,task-completed,task-deleted,reminder-due,recurring-scheduled}/target/*-0.1.0-SNAPSHOT-all.jar; do
  if [ ! -f "$jar" ] || [ -n "$(find pom.xml functions -newer "$jar" -type f \
        \( -name '*.java' -o -name 'pom.xml' -o -name '*.yml' -o -name '*.sql' -o -name '*.json' -o -name '*.properties' \
           -o -name '*.xml' \) -not -path '*/target/*' -print -quit)" ]; then
    stale=true
  fi
done
if [ "$stale" = true ]; then
  echo "Building the jars (first run, or the sources changed)..." >&2
  mvn -B -q -DskipTests package
fi
