#!/usr/bin/env bash
# Statements PostgreSQL executes per request (docs/performance.md, "Statements per request"):
# starts a throwaway PostgreSQL with pg_stat_statements and Turnkey on it (loopback only), then
# for each kind of request resets the statistics, sends N of them one after another with curl and
# prints every statement PostgreSQL executed, with calls per request, and the total. Counting,
# not timing: the numbers are the same on a busy machine. Nothing is left running.
# Settings: STATEMENTS_N (requests per kind, default 200), STATEMENTS_PORT (Turnkey, default 8930),
# STATEMENTS_PG_PORT (default 5930), STATEMENTS_WAR (default target/turnkey.war, built first with
# mvn package; another WAR, e.g. an older build to compare with, is used as it is).
set -euo pipefail
cd "$(dirname "$0")/../.."
N=${STATEMENTS_N:-200}
PORT=${STATEMENTS_PORT:-8930}
PG_PORT=${STATEMENTS_PG_PORT:-5930}
OUT=target/bench
mkdir -p "$OUT"
WAR=${STATEMENTS_WAR:-}
if [ -z "$WAR" ]; then
    mvn -B -q package -DskipTests
    WAR=target/turnkey.war
fi

pg_bin() { compgen -G '/usr/lib/postgresql/*/bin' | sort -V | tail -n 1; }
PG_BIN=$(pg_bin)
[ -n "$PG_BIN" ] || { echo "No PostgreSQL under /usr/lib/postgresql (apt-get install postgresql)"; exit 1; }
# PostgreSQL refuses to run as root.
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
PG_DATA=$(mktemp -d /tmp/turnkey-statements-pg.XXXXXX)
if [ "$(id -u)" = 0 ]; then chown postgres "$PG_DATA"; fi
PAYARA_PID=
cleanup() {
    set +e
    if [ -n "$PAYARA_PID" ]; then
        kill "$PAYARA_PID" 2>/dev/null
        wait "$PAYARA_PID" 2>/dev/null
    fi
    as_pg "$PG_BIN/pg_ctl" -D "$PG_DATA" -m fast stop >/dev/null 2>&1
    rm -rf "$PG_DATA"
}
trap cleanup EXIT

as_pg "$PG_BIN/initdb" -D "$PG_DATA" -U turnkey --auth=trust -E UTF8 >/dev/null
as_pg "$PG_BIN/pg_ctl" -D "$PG_DATA" -l "$PG_DATA/log" -w -o "-p $PG_PORT -k $PG_DATA -c listen_addresses=127.0.0.1 \
    -c shared_preload_libraries=pg_stat_statements -c pg_stat_statements.track=all -c pg_stat_statements.max=10000" \
    start >/dev/null || { cat "$PG_DATA/log"; exit 1; }
as_pg "$PG_BIN/createdb" -h 127.0.0.1 -p "$PG_PORT" -U turnkey turnkey
sql() { as_pg "$PG_BIN/psql" -h 127.0.0.1 -p "$PG_PORT" -U turnkey -d turnkey -X -q -t -A "$@"; }
sql -c "CREATE EXTENSION pg_stat_statements" >/dev/null

TURNKEY_DB_URL="jdbc:postgresql://127.0.0.1:$PG_PORT/turnkey" TURNKEY_DB_USER=turnkey TURNKEY_DB_PASSWORD=turnkey \
TURNKEY_REGISTRATION_ENABLED=true TURNKEY_RATELIMIT_ENABLED=false \
    java -Xmx1g -jar target/payara-micro.jar --deploy "$WAR" --nocluster --port "$PORT" \
    >"$OUT/statements-payara.log" 2>&1 &
PAYARA_PID=$!
for _ in $(seq 1 360); do
    grep -q 'ready in' "$OUT/statements-payara.log" && break
    kill -0 "$PAYARA_PID" 2>/dev/null || { tail -n 50 "$OUT/statements-payara.log"; exit 1; }
    sleep 0.5
done
grep -q 'ready in' "$OUT/statements-payara.log" || { echo "Turnkey not ready in 180 s"; exit 1; }

URL=http://127.0.0.1:$PORT/_matrix/client/v3
post() { curl -s -X POST -H 'Content-Type: application/json' -d "$2" "$URL$1"; }
get() { curl -s -H "Authorization: Bearer $2" "$URL$1"; }
PASSWORD=statements-$RANDOM-$RANDOM
USER_BODY="\"username\":\"statements\",\"password\":\"$PASSWORD\",\"inhibit_login\":true"
SESSION=$(post /register "{$USER_BODY}" | jq -r .session)
post /register "{$USER_BODY,\"auth\":{\"type\":\"m.login.dummy\",\"session\":\"$SESSION\"}}" >/dev/null
login() {
    post /login "{\"type\":\"m.login.password\",\"identifier\":{\"type\":\"m.id.user\",\"user\":\"statements\"},\
\"password\":\"$PASSWORD\",\"device_id\":\"$1\",\"refresh_token\":true}"
}
# A field of a JSON reply, or the reply itself on stderr and a failure.
field() { jq -er ".$2" <<<"$1" || { echo "unexpected reply: $1" >&2; exit 1; }; }

# Statements since the last reset, per request: calls per request, mean execution time in
# microseconds (PostgreSQL's executor only: no parsing, network or commit flush) and the
# statement, "nested" for those run inside another (foreign-key checks); then the totals.
# pg_stat_statements misses most COMMITs (pgjdbc prepares its COMMIT after a few uses, and a
# prepared transaction statement is not counted), so COMMIT is counted as one per BEGIN.
report() {
    local label=$1
    echo "== $label: $N requests (calls per request, mean µs, statement)"
    sql -F '|' -c "SELECT calls, round((total_exec_time * 1000 / calls)::numeric, 1), toplevel,
        regexp_replace(query, '\s+', ' ', 'g') FROM pg_stat_statements
        WHERE dbid = (SELECT oid FROM pg_database WHERE datname = 'turnkey') AND query NOT LIKE '%pg_stat%'
        AND query <> 'COMMIT' ORDER BY toplevel DESC, calls DESC, query" |
        awk -F'|' -v n="$N" -v label="$label" '{ q = $4; if (length(q) > 130) q = substr(q, 1, 127) "...";
            if ($3 == "t") { sent += $1 } else { nested += $1; q = "(nested) " q }
            if (q == "BEGIN") { begins = $1 }
            printf "%8.3f %8s  %s\n", $1 / n, $2, q }
            END { printf "%8.3f           COMMIT (one per BEGIN)\n", begins / n
                printf "%8.3f           statements sent per request (%s), COMMIT included\n", (sent + begins) / n, label
                printf "%8.3f           statements run inside them (foreign-key checks)\n", nested / n }'
}
reset() { sql -c "SELECT pg_stat_statements_reset()" >/dev/null; }
# Row operations on token_pairs so far: inserted, updated, of which HOT (no index entries), deleted.
# A backend reports them within about ten seconds of going idle, hence the wait.
rows() { sleep 11; sql -F ' ' -c "SELECT n_tup_ins, n_tup_upd, n_tup_hot_upd, n_tup_del FROM pg_stat_user_tables
    WHERE relname = 'token_pairs'"; }

# Logins: each on a device of its own, with a refresh token (an Argon2id hash each, so slower).
reset
for i in $(seq 1 "$N"); do field "$(login "LOGIN$i")" access_token >/dev/null; done
report "login (new device, refresh_token: true)"

# Refreshes along one chain, always with the newest refresh token (as P2): each uses the token
# and so revokes its predecessor, mints the next pair and prunes the oldest.
reply=$(login CHAIN)
refresh_token=$(field "$reply" refresh_token)
for _ in 1 2 3 4 5 6; do refresh_token=$(field "$(post /refresh "{\"refresh_token\":\"$refresh_token\"}")" refresh_token); done
read -r ins upd hot del <<<"$(rows)"
reset
for _ in $(seq 1 "$N"); do
    refresh_token=$(field "$(post /refresh "{\"refresh_token\":\"$refresh_token\"}")" refresh_token)
done
report "refresh (newest refresh token, as P2)"
read -r ins2 upd2 hot2 del2 <<<"$(rows)"
awk -v n="$N" -v i=$((ins2 - ins)) -v u=$((upd2 - upd)) -v h=$((hot2 - hot)) -v d=$((del2 - del)) 'BEGIN {
    printf "token_pairs rows per refresh: %.2f inserted, %.2f updated (%.2f of them HOT), %.2f deleted\n",
        i / n, u / n, h / n, d / n }'

# The first use of each refreshed pair by its access token (a cache miss that confirms the
# rotation), without its refresh: the refreshes are done first, each new access token kept.
tokens=()
for _ in $(seq 1 "$N"); do
    reply=$(login "FIRSTUSE${#tokens[@]}")
    reply=$(post /refresh "{\"refresh_token\":\"$(field "$reply" refresh_token)\"}")
    tokens+=("$(field "$reply" access_token)")
done
reset
for token in "${tokens[@]}"; do field "$(get /account/whoami "$token")" user_id >/dev/null; done
report "whoami, first use of a refreshed access token"

# The same tokens again: cache hits (the last-seen writes come later, batched, and may show).
reset
for token in "${tokens[@]}"; do field "$(get /account/whoami "$token")" user_id >/dev/null; done
report "whoami, cached"
