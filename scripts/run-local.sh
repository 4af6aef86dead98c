#!/usr/bin/env bash
# Runs todo-functions locally in one process: embedded PostgreSQL, data kept in $TODO_DATA_DIR (default .local/).
#   PORT=8080            HTTP port
#   TODO_DATA_DIR=.local data folder (relative to the repository root)
#   JDBC_URL, JDBC_USER, JDBC_PASSWORD   use an external PostgreSQL instead of the embedded one
# Builds the local runtime first when it is missing or older than the sources.
set -euo pipefail
cd "$(dirname "$0")/.."

jar=functions/local-runtime/target/local-runtime-0.1.0-SNAPSHOT-all.jar
if [ ! -f "$jar" ] || [ -n "$(find pom.xml functions -newer "$jar" -type f \
      \( -name '*.java' -o -name 'pom.xml' -o -name '*.yml' -o -name '*.sql' -o -name '*.json' -o -name '*.properties' \
         -o -name '*.xml' \) -not -path '*/target/*' -print -quit)" ]; then
  echo "Building the local runtime (first run, or the sources changed)..." >&2
  mvn -B -q -DskipTests package -pl functions/local-runtime -am
fi

read -r -a java_opts <<< "${JAVA_OPTS:-}"
exec java "${java_opts[@]}" -jar "$jar" "$@"
