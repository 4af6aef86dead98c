#!/usr/bin/env bash
# Deploys todo-functions to a cluster that has Knative Serving, Dapr, Kafka and PostgreSQL (docs/deploy.md):
#   1. applies dapr-components/ (components, resiliency, configuration, subscriptions),
#   2. runs the migrate command as a Kubernetes Job and waits for it,
#   3. creates or updates every Knative Service with kn.
# The rendered Services are checked first (scripts/check-manifests.sh: Knative's own validation, Dapr's annotations);
# a Service that fails stops the deploy before anything is applied.
# Usage: scripts/deploy.sh --registry REGISTRY [--namespace NS] [--tag TAG] [--with-email] [--with-webhook] [--dry-run]
# --dry-run prints the exact kubectl and kn commands (and writes the rendered manifests) without a cluster or kn.
set -euo pipefail
cd "$(dirname "$0")/.."

SERVICES=(event-gateway task-api task-created task-updated task-completed task-deleted reminder-due recurring-scheduled)
namespace=todo
registry=""
tag=latest
dry_run=false
optional=()
extra_env=()   # service=NAME=value: what an optional binding needs its callers to know

usage() {
  sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//'
  exit "${1:-0}"
}

while [ $# -gt 0 ]; do
  case "$1" in
    --registry) registry=${2:?--registry needs a value}; shift 2 ;;
    --namespace) namespace=${2:?--namespace needs a value}; shift 2 ;;
    --tag) tag=${2:?--tag needs a value}; shift 2 ;;
    --with-email) optional+=(-f dapr-components/optional/binding-email.yaml)
      extra_env+=(task-api=TODO_EMAIL_BINDING=email reminder-due=TODO_EMAIL_BINDING=email); shift ;;
    --with-webhook) optional+=(-f dapr-components/optional/binding-webhook.yaml)
      extra_env+=(reminder-due=TODO_NOTIFICATIONS_BINDING=webhook reminder-due=TODO_NOTIFICATIONS_OPERATION=post)
      shift ;;
    --dry-run) dry_run=true; shift ;;
    -h|--help) usage 0 ;;
    *) echo "unknown argument: $1" >&2; usage 2 ;;
  esac
done
if [ -z "$registry" ]; then
  echo "--registry is required (where the images were pushed, e.g. ghcr.io/acme)" >&2
  exit 2
fi
if [[ ! $namespace =~ ^[a-z0-9]([-a-z0-9]*[a-z0-9])?$ ]]; then
  echo "--namespace must be a Kubernetes name, not '$namespace'" >&2
  exit 2
fi

# Every command goes through run: printed exactly, and executed unless --dry-run.
run() {
  printf '%q ' "$@"
  printf '\n'
  if [ "$dry_run" = false ]; then
    "$@"
  fi
}

if [ "$dry_run" = false ]; then
  for tool in kubectl kn; do
    command -v "$tool" >/dev/null || { echo "$tool is not installed (see docs/deploy.md); try --dry-run" >&2; exit 1; }
  done
fi

rendered=$(mktemp -d "${TMPDIR:-/tmp}/todo-deploy.XXXXXX")
echo "# rendered manifests: $rendered"
services=()
for service in "${SERVICES[@]}"; do
  sed -e "s|image: todo-functions/$service:latest|image: $registry/$service:$tag|" \
      -e "s|value: \"todo\"|value: \"$namespace\"|" "knative/$service.yaml" > "$rendered/$service.yaml"
  for entry in "${extra_env[@]}"; do
    if [ "${entry%%=*}" = "$service" ]; then
      variable=${entry#*=}
      awk -v entry="            - {name: ${variable%%=*}, value: \"${variable#*=}\"}" \
        '{ print } /^          env:$/ { print entry }' "$rendered/$service.yaml" > "$rendered/$service.env"
      mv "$rendered/$service.env" "$rendered/$service.yaml"
    fi
  done
  services+=("$rendered/$service.yaml")
done
# before anything is applied: would Knative's webhook and Dapr's injector take these Services as they are?
if command -v go >/dev/null || [ "$dry_run" = false ]; then
  scripts/check-manifests.sh "${services[@]}" | sed 's/^/# /'
else
  echo "# the Services were not checked (scripts/check-manifests.sh needs Go the first time)"
fi

# 1. Dapr components, resiliency, configuration (its access policies name the namespace) and subscriptions
sed -e "s|namespace: todo$|namespace: $namespace|" dapr-components/configuration.yaml > "$rendered/configuration.yaml"
run kubectl apply --namespace "$namespace" \
  -f dapr-components/components/ "${optional[@]}" \
  -f dapr-components/resiliency.yaml -f "$rendered/configuration.yaml" -f dapr-components/subscriptions/

# 2. the schema, once, before any function is updated
sed -e "s|image: todo-functions/task-api:latest|image: $registry/task-api:$tag|" knative/migrate-job.yaml \
  > "$rendered/migrate-job.yaml"
run kubectl delete job todo-migrate --namespace "$namespace" --ignore-not-found
run kubectl apply --namespace "$namespace" -f "$rendered/migrate-job.yaml"
run kubectl wait --namespace "$namespace" --for=condition=complete --timeout=300s job/todo-migrate

# 3. the Knative Services (create, or replace when they exist)
for service in "${SERVICES[@]}"; do
  run kn service create "$service" --namespace "$namespace" --filename "$rendered/$service.yaml" --force
done
