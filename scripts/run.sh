#!/usr/bin/env bash
# `make run`: start linnetd on 127.0.0.1:8080 with SQLite in ./linnet-data and print a token.
set -euo pipefail
cd "$(dirname "$0")/.."

bin=build/linnetd
export LINNET_DATA="${LINNET_DATA:-./linnet-data}"
listen="${LINNET_LISTEN:-127.0.0.1:8080}"

token=$("$bin" token create --label "make run")
cat <<MSG

  Linnet is starting on http://$listen (data in $LINNET_DATA).

  A personal access token with every scope:
    export TOKEN=$token

  Try:
    curl -s http://$listen/v4/regions/us-east
    curl -s -H "Authorization: Bearer \$TOKEN" http://$listen/v4/profile

MSG
exec "$bin" serve --listen "$listen"
