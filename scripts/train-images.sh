#!/usr/bin/env bash
# Runs knative/Dockerfile's AOT training step for every deployable as an image build would, without a container
# engine: each runnable jar starts as deployed against the benchmark's stand-ins (a fake Dapr sidecar, a schedules
# stub, embedded PostgreSQL), must answer every event with 2xx (event-gateway: start and answer /health), and writes
# its AOT cache on exit. A check that every optimized jar works on JDK 25 with the images' flags; caches and logs go to
# target/aot-images/.
#   JAVA25_HOME=/path/to/jdk-25   found in /usr/lib/jvm when unset
#   BUILD=0                       use the jars already packaged (CI, right after mvn verify)
set -euo pipefail
cd "$(dirname "$0")/.."

# shellcheck source=scripts/java25.sh
. scripts/java25.sh
if [ -z "$java25" ]; then
  echo "No JDK 25 found (set JAVA25_HOME): the images' AOT cache needs it." >&2
  exit 1
fi
if [ "${BUILD:-1}" != 0 ]; then
  echo "Building the function jars..." >&2
  mvn -B -q -DskipTests package
fi

# the Dockerfile's own flags, so that this runs what the image build runs
tuned=$(sed -n 's/^ARG TUNED="\(.*\)"$/\1/p' knative/Dockerfile)
read -r -a flags <<< "$tuned"
[ ${#flags[@]} -gt 0 ] || { echo "no ARG TUNED in knative/Dockerfile" >&2; exit 1; }
out=target/aot-images
mkdir -p "$out"
for service in knative/*.yaml; do
  name=$(basename "$service" .yaml)
  [ "$name" = migrate-job ] && continue
  jar=functions/$name/target/$name-0.1.0-SNAPSHOT-all.jar
  start=$SECONDS
  "$java25/bin/java" -cp functions/tools/bench/target/bench-0.1.0-SNAPSHOT-all.jar com.todo.bench.Train \
    "$name" "$jar" "$out/$name.aot" "${flags[@]}" > "$out/$name.log" 2>&1 \
    || { echo "$name: training failed, see $out/$name.log" >&2; tail -n 20 "$out/$name.log" >&2; exit 1; }
  echo "$name: AOT cache $(du -m "$out/$name.aot" | cut -f1) MB, trained in $((SECONDS - start)) s"
done
