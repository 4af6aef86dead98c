#!/usr/bin/env bash
# Measures every function as deployed (issue: cold start, RSS, warm throughput and latency, reminder lateness) and
# writes docs/benchmarks.md and docs/benchmarks.svg. Needs no cluster.
#   RUNS=5 REQUESTS=3000 CONCURRENCY=8   cold starts per row; requests and concurrency of the warm load
#   WARMUP=5000                          requests before the warm load is measured
#   JAVA25_HOME=/path/to/jdk-25          the tuned setup (JDK 25 + AOT cache); found in /usr/lib/jvm when unset
#   ONLY=task-created,task-api           measure only these (and the JVM floor); prints, writes no report
#   COMPARE=1                            print this run's medians against docs/benchmarks.md; writes no report
#   VARIANT="-XX:Flag ..."               also measure the tuned setup plus these JVM flags (training included); writes
#                                        no report; with ONLY, an A/B of one function in one run
#   BUILD=0                              use the jars already packaged (CI, right after mvn verify)
set -euo pipefail
cd "$(dirname "$0")/.."

# shellcheck source=scripts/java25.sh
. scripts/java25.sh
if [ -z "$java25" ]; then
  echo "No JDK 25 found (set JAVA25_HOME): measuring the JDK 17 default setup only." >&2
fi

if [ "${BUILD:-1}" != 0 ]; then
  echo "Building the function jars..." >&2
  mvn -B -q -DskipTests package
fi

args=(-Druns="${RUNS:-5}" -Drequests="${REQUESTS:-3000}" -Dwarmup="${WARMUP:-5000}" -Dconcurrency="${CONCURRENCY:-8}" -Donly="${ONLY:-}" -Dcompare="${COMPARE:-false}"
      -Dvariant="${VARIANT:-}")
if [ -n "$java25" ]; then
  args+=(-Djava25="$java25")
fi
exec java "${args[@]}" -jar functions/tools/bench/target/bench-0.1.0-SNAPSHOT-all.jar "$PWD"
