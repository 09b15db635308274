#!/bin/sh
# Walkthrough 1 of the API 4 announcement (issue 6), as written, with only the host and the token
# changed: $LINNET is http://127.0.0.1:PORT, $token a '*' token. Polls the state until "running"
# ($POLLS times, $POLL_SECONDS apart); the ssh step is the caller's (tests/e2e with qemu).
set -eu
linode=$(curl -s -H "Content-Type: application/json" \
    -H "Authorization: token $token" \
    -X POST -d '{
        "datacenter": "datacenter_6",
        "service": "service_112",
        "source": "distro_140",
        "root_pass": "q8w2k5m1z9x4c7v3"
    }' $LINNET/v4/linodes)
linode_id=$(echo "$linode" | jq -r .linode.id)
curl -s -H "Authorization: token $token" \
    -X POST $LINNET/v4/linodes/$linode_id/boot
echo
state=""
for _ in $(seq 1 "${POLLS:-300}"); do
    state=$(curl -s -H "Authorization: token $token" \
        $LINNET/v4/linodes/$linode_id | jq -r .state)
    echo "state $state"
    [ "$state" = running ] && break
    sleep "${POLL_SECONDS:-0.1}"
done
linode_ip=$(echo "$linode" | jq -r .linode.ip_addresses.public.ipv4[0])
echo "linode $linode_id ip $linode_ip"
[ "$state" = running ]
