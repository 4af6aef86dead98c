#!/usr/bin/env bash
# Checks Knative Service manifests as a cluster would admit them, offline (platform/manifest-check): strict decoding,
# Knative Serving's own defaulting and validation (errors and warnings), and every dapr.io/* annotation against the
# pinned Dapr sidecar injector's own list and types. Exit status 1 when any manifest fails.
# Usage: scripts/check-manifests.sh [--config DIR] [MANIFEST...]   (default: the Services in knative/)
#        scripts/check-manifests.sh --build-only                  (builds the checker into the platform cache)
# --config names a folder with the cluster's config-defaults/-features/-autoscaler ConfigMaps (default: Knative's).
# Needs Go (platform/manifest-check/go.mod) the first time; the build is kept in $TODO_PLATFORM_CACHE.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
source "$repo/platform/versions.env"
cache=${TODO_PLATFORM_CACHE:-$HOME/.cache/todo-functions}
# a build per version of the checker's source and of the Dapr it reads
key=$(cat "$repo"/platform/manifest-check/{go.mod,go.sum,main.go} <(echo "$DAPR_VERSION") | sha256sum | cut -c1-16)
dir=$cache/manifest-check-$key

if [ ! -x "$dir/manifest-check" ]; then
  command -v go >/dev/null || { echo "manifest-check is not built and Go is not installed (docs/deploy.md)" >&2; exit 2; }
  echo "building manifest-check (Knative Serving $(grep -o 'knative.dev/serving v[^ ]*' "$repo/platform/manifest-check/go.mod" | cut -d' ' -f2))" >&2
  mkdir -p "$dir"
  export GOTOOLCHAIN=local CGO_ENABLED=0 GOFLAGS=-mod=readonly
  (cd "$repo/platform/manifest-check" && go build -trimpath -o "$dir/manifest-check.partial" .)
  # the injector's annotation list, from the Dapr module platform/go.mod pins
  dapr_source=$(cd "$repo/platform" && go mod download -json "github.com/dapr/dapr@v$DAPR_VERSION" \
    | python3 -c 'import json, sys; print(json.load(sys.stdin)["Dir"])')
  cp "$dapr_source/pkg/injector/patcher/sidecar.go" "$dir/dapr-injector-sidecar.go"
  mv "$dir/manifest-check.partial" "$dir/manifest-check"
fi
if [ "${1:-}" = --build-only ]; then
  echo "manifest-check: $dir/manifest-check" >&2
  exit 0
fi

config=()
if [ "${1:-}" = --config ]; then
  config=(-config "${2:?--config needs a folder}")
  shift 2
fi
if [ $# -eq 0 ]; then
  mapfile -t services < <(grep -l '^kind: Service$' "$repo"/knative/*.yaml)
  set -- "${services[@]}"
fi
exec "$dir/manifest-check" -dapr-injector "$dir/dapr-injector-sidecar.go" "${config[@]}" "$@"
