#!/usr/bin/env bash
# Prints a bearer token for USER, signed (HS256) with the local secret that scripts/run-local.sh generated in
# $TODO_DATA_DIR (default .local/), or with $TODO_JWT_SECRET when set. Valid for $TOKEN_TTL_SECONDS (default 24 h).
# TOKEN_ROLES (comma-separated) adds a roles claim: todo-admin opens the admin API (docs/operations.md).
#   TOKEN=$(scripts/dev-token.sh alice)
#   ADMIN=$(TOKEN_ROLES=todo-admin scripts/dev-token.sh operator)
set -euo pipefail
cd "$(dirname "$0")/.."

user=${1:-}
if [[ ! $user =~ ^[A-Za-z0-9._@-]{1,255}$ ]]; then
  echo "usage: scripts/dev-token.sh <user>   (letters, digits and . _ @ - only)" >&2
  exit 2
fi
ttl=${TOKEN_TTL_SECONDS:-86400}
roles=${TOKEN_ROLES:-}
if [[ -n $roles && ! $roles =~ ^[A-Za-z0-9._-]+(,[A-Za-z0-9._-]+)*$ ]]; then
  echo "TOKEN_ROLES is a comma-separated list of role names (letters, digits and . _ - only)" >&2
  exit 2
fi
role_claim=""
if [ -n "$roles" ]; then
  role_claim=$(printf ',"roles":["%s"]' "${roles//,/\",\"}")
fi
secret=${TODO_JWT_SECRET:-}
if [ -z "$secret" ]; then
  file="${TODO_DATA_DIR:-.local}/jwt-secret"
  if [ ! -r "$file" ]; then
    echo "No secret in $file: start scripts/run-local.sh once first (it generates one)." >&2
    exit 1
  fi
  secret=$(cat "$file")
fi

b64url() { openssl base64 -A | tr '+/' '-_' | tr -d '='; }
now=$(date +%s)
header=$(printf '{"alg":"HS256","typ":"JWT"}' | b64url)
payload=$(printf '{"sub":"%s","iat":%d,"exp":%d%s}' "$user" "$now" "$((now + ttl))" "$role_claim" | b64url)
key=$(printf '%s' "$secret" | od -An -v -tx1 | tr -d ' \n')
signature=$(printf '%s.%s' "$header" "$payload" | openssl dgst -sha256 -mac HMAC -macopt "hexkey:$key" -binary | b64url)
printf '%s.%s.%s\n' "$header" "$payload" "$signature"
