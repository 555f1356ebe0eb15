#!/usr/bin/env bash
# A throwaway PostgreSQL on loopback for the server checks: `postgres.sh start DIR PORT PASSWORD`
# creates user and database "turnkey" in DIR; `postgres.sh restart DIR PORT` stops it and starts
# it again (a database outage); `postgres.sh stop DIR` stops it and deletes DIR.
# Installs Debian's postgresql package if no server is there (no cluster is created by apt).
set -euo pipefail

pg_bin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1; }

# initdb refuses to run as root: as root, the server runs as the postgres user.
as_pg() {
    if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

case "${1:-}" in
start)
    dir=$2 port=$3 password=$4
    if [ -z "$(pg_bin)" ]; then
        echo "Installing PostgreSQL (Debian package postgresql)"
        mkdir -p /etc/postgresql-common
        echo "create_main_cluster = false" > /etc/postgresql-common/createcluster.conf
        apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq -o Dpkg::Options::=--force-confold postgresql >/dev/null
    fi
    bin=$(pg_bin)
    mkdir -p "$dir"
    [ "$(id -u)" = 0 ] && chown postgres "$dir"
    umask 077
    printf '%s\n' "$password" > "$dir/pwfile"
    [ "$(id -u)" = 0 ] && chown postgres "$dir/pwfile"
    as_pg "$bin/initdb" -D "$dir/data" -U turnkey --pwfile="$dir/pwfile" -E UTF8 \
        --auth-local=trust --auth-host=scram-sha-256 >"$dir/initdb.log"
    rm -f "$dir/pwfile"
    as_pg "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w \
        -o "-c listen_addresses=127.0.0.1 -p $port -k $dir" start >/dev/null
    as_pg "$bin/createdb" -h "$dir" -p "$port" -U turnkey turnkey
    echo "PostgreSQL $("$bin/postgres" --version | awk '{print $3}') on 127.0.0.1:$port"
    ;;
restart)
    dir=$2 port=$3
    as_pg "$(pg_bin)/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null
    as_pg "$(pg_bin)/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w \
        -o "-c listen_addresses=127.0.0.1 -p $port -k $dir" start >/dev/null
    ;;
psql)
    dir=$2 port=$3; shift 3
    as_pg "$(pg_bin)/psql" -h "$dir" -p "$port" -U turnkey -d turnkey -X -q -t -A "$@"
    ;;
stop)
    dir=$2
    if [ -d "$dir/data" ]; then
        as_pg "$(pg_bin)/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null || true
    fi
    rm -rf "$dir"
    ;;
*)
    echo "usage: $0 start DIR PORT PASSWORD | restart DIR PORT | psql DIR PORT ARGS... | stop DIR" >&2
    exit 2
    ;;
esac
