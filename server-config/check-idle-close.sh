#!/usr/bin/env bash
# Checks that the HTTP listener closes a connection that never completes a request within 20 s
# (payara-micro.preboot sets 5 s; Payara's default is 30 s):  check-idle-close.sh HOST PORT
set -euo pipefail
host=${1:?usage: $0 HOST PORT}
port=${2:?usage: $0 HOST PORT}
started=$(date +%s)
exec 3<>"/dev/tcp/$host/$port"
printf 'GET\r\n' >&3
if ! timeout 20 cat <&3 >/dev/null; then
    echo "FAILED: a connection with a bare GET was still open after 20 s" >&2
    exit 1
fi
exec 3<&-
echo "ok a bare GET's connection was closed after $(( $(date +%s) - started )) s"
