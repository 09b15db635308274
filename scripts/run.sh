#!/usr/bin/env bash
# `make run`: start linnetd on 127.0.0.1:8080 with SQLite in ./linnet-data and print a token.
# Linodes are real QEMU VMs (LINNET_DRIVER=sim for simulated ones); the first run builds the
# linode/debian12 image in the background, and Linodes created meanwhile wait for it.
set -euo pipefail
cd "$(dirname "$0")/.."

bin=build/linnetd
export LINNET_DATA="${LINNET_DATA:-./linnet-data}"
export LINNET_DRIVER="${LINNET_DRIVER:-qemu}"
listen="${LINNET_LISTEN:-127.0.0.1:8080}"
mkdir -p "$LINNET_DATA"

if [ "$LINNET_DRIVER" = qemu ]; then
  bash scripts/install-deps.sh qemu-system-x86 qemu-utils debootstrap e2fsprogs openssh-client sshpass
  if [ ! -f "$LINNET_DATA/images/linode/debian12/rootfs.raw" ]; then
    echo "Building linode/debian12 in the background (log: $LINNET_DATA/image-build.log)"
    nohup "$bin" image build debian12 >"$LINNET_DATA/image-build.log" 2>&1 &
  fi
fi

token=$("$bin" token create --label "make run")
cat <<MSG

  Linnet is starting on http://$listen (data in $LINNET_DATA, driver $LINNET_DRIVER).

  A personal access token with every scope:
    export TOKEN=$token

  Try:
    curl -s http://$listen/v4/regions/us-east
    curl -s -H "Authorization: Bearer \$TOKEN" -H 'Content-Type: application/json' \\
      -X POST http://$listen/v4/linode/instances \\
      -d '{"region":"us-east","type":"g6-nanode-1","image":"linode/debian12","root_pass":"q8w2k5m1z9x4c7v3"}'

MSG
exec "$bin" serve --listen "$listen"
