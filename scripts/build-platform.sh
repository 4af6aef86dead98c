#!/usr/bin/env bash
# Builds the real platform the cluster topology and its tests run, into $TODO_PLATFORM_CACHE
# (default ~/.cache/todo-functions), skipping what is already there:
#   dapr-<version>/daprd       daprd with -tags allcomponents, as Dapr's release builds it, from platform/go.mod
#   dapr-<version>/scheduler   the Dapr scheduler (Jobs API)
#   kafka-<version>/lib/       Apache Kafka's broker and tools jars, from Maven Central (platform/kafka/pom.xml)
#   schemathesis-<version>/    the API fuzzer in a virtualenv, from PyPI (platform/schemathesis/requirements.txt)
#   manifest-check-<key>/      Knative Serving's validation offline, from platform/manifest-check (scripts/check-manifests.sh)
# Needs Go (platform/go.mod's go line), Maven and Python 3 with venv; a cold build downloads ~2 GB of Go modules (see
# docs/deploy.md).
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=platform/versions.env
source platform/versions.env
cache=${TODO_PLATFORM_CACHE:-$HOME/.cache/todo-functions}
dapr_dir=$cache/dapr-$DAPR_VERSION
kafka_dir=$cache/kafka-$KAFKA_VERSION
fuzzer_dir=$cache/schemathesis-$SCHEMATHESIS_VERSION
export GOTOOLCHAIN=local CGO_ENABLED=0 GOFLAGS=-mod=readonly
ticker=""
trap '[ -z "$ticker" ] || kill "$ticker" 2>/dev/null' EXIT

pinned=$(cd platform && go list -m -f '{{.Version}}' github.com/dapr/dapr)
if [ "$pinned" != "v$DAPR_VERSION" ]; then
  echo "platform/go.mod pins dapr $pinned but platform/versions.env says $DAPR_VERSION" >&2
  exit 1
fi

# go build -v names each package as it compiles it: a line every 100 packages shows a cold build moving
progress() {
  awk -v what="$1" '{ n++ } n % 100 == 0 { printf "  %s: %d packages compiled\n", what, n; fflush() }
                    END { printf "  %s: %d packages compiled\n", what, n }'
}

build_dapr() {
  local binary=$1 package=$2 tags=$3
  if [ -x "$dapr_dir/$binary" ]; then
    echo "$binary $DAPR_VERSION: already built ($dapr_dir/$binary)"
    return
  fi
  echo "building $binary $DAPR_VERSION${tags:+ (tags $tags)}: a cold build takes long (docs/deploy.md)"
  mkdir -p "$dapr_dir"
  local ld="-s -w -X github.com/dapr/dapr/pkg/buildinfo.version=$DAPR_VERSION"
  ld+=" -X github.com/dapr/dapr/pkg/buildinfo.gitversion=v$DAPR_VERSION"
  ld+=" -X github.com/dapr/dapr/pkg/buildinfo.gitcommit=$DAPR_COMMIT -X github.com/dapr/kit/logger.DaprVersion=$DAPR_VERSION"
  # go downloads the modules first, silently: a line every 30 s shows that it moves
  local started=$SECONDS
  (while sleep 30; do echo "  $binary: $((SECONDS - started)) s"; done) &
  ticker=$!
  (cd platform && go build -v -trimpath ${tags:+-tags "$tags"} -ldflags "$ld" -o "$dapr_dir/$binary.partial" "$package") \
    2>&1 | progress "$binary"
  kill "$ticker"
  ticker=""
  # a binary appears under its name only when its build finished
  mv "$dapr_dir/$binary.partial" "$dapr_dir/$binary"
}

build_dapr daprd github.com/dapr/dapr/cmd/daprd allcomponents
build_dapr scheduler github.com/dapr/dapr/cmd/scheduler ""

if [ -f "$kafka_dir/complete" ]; then
  echo "kafka $KAFKA_VERSION: already there ($kafka_dir/lib)"
else
  echo "fetching kafka $KAFKA_VERSION from Maven Central"
  rm -rf "$kafka_dir" && mkdir -p "$kafka_dir"
  mvn -B -q -f platform/kafka/pom.xml -Dkafka.version="$KAFKA_VERSION" dependency:copy-dependencies \
    -DincludeScope=runtime -DoutputDirectory="$kafka_dir/lib"
  touch "$kafka_dir/complete"
fi

if [ -f "$fuzzer_dir/complete" ]; then
  echo "schemathesis $SCHEMATHESIS_VERSION: already there ($fuzzer_dir)"
else
  echo "installing schemathesis $SCHEMATHESIS_VERSION from PyPI"
  rm -rf "$fuzzer_dir"
  python3 -m venv "$fuzzer_dir"
  "$fuzzer_dir/bin/pip" install -q --disable-pip-version-check -r platform/schemathesis/requirements.txt
  touch "$fuzzer_dir/complete"
fi

# the offline check of the Knative Services (Knative Serving's validation, Dapr's injector annotations)
scripts/check-manifests.sh --build-only

echo "platform in $cache:"
"$dapr_dir/daprd" --version | sed 's/^/  daprd /'
echo "  scheduler $DAPR_VERSION (it has no --version flag)"
echo "  kafka $(basename "$(ls "$kafka_dir"/lib/kafka_2.13-*.jar)" .jar | sed 's/kafka_2.13-//')"
echo "  $("$fuzzer_dir/bin/st" --version)"
