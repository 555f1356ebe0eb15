#!/usr/bin/env bash
# The benchmark of issues 6 and 22 (docs/performance.md): builds Turnkey and the benchmark (the
# POM's bench profile), measures cold starts (P5), starts a throwaway PostgreSQL, Turnkey on it and
# Keycloak beside it (loopback only), runs P1-P4, the peer figures and P6, and prints the table.
# Nothing is left running.
# Settings: BENCH_SECONDS (per measurement, default 10), BENCH_WARMUP (per warm-up, default 30), BENCH_SESSIONS (default 1000000),
# BENCH_CONNECTIONS (default 8), BENCH_PORT (default 8108; the hello and floor WARs of P6 get the next one), BENCH_PG_PORT (default 5808),
# BENCH_FIGURES (default P4-over,P5,P1,P3,P2,P2-peer,P3-peer,whoami-peer,P4,P6: which figures to measure), BENCH_SERVER_HEAP (Turnkey's heap,
# default "-Xms2g -Xmx2g -Xmn192m -XX:MaxGCPauseMillis=10", docs/performance.md), BENCH_SERVER_OPTS (extra JVM options for
# Turnkey, e.g. a flight recording), BENCH_PG_OPTS (extra PostgreSQL settings, e.g.
# "-c log_autovacuum_min_duration=0"; its log is kept as target/bench/postgres.log),
# BENCH_MAX_WARMUP_ROUNDS (default 60: a warm-up ends after that many 10 s rounds even if not steady),
# BENCH_P5_ROUNDS (default 3), BENCH_TIMEOUT (default 3h: the load generator is stopped after that long,
# a guard against a hung server; every figure at 1,000,000 sessions takes about an hour), and Keycloak's (src/bench/keycloak.sh): BENCH_KEYCLOAK_JAVA,
# BENCH_KEYCLOAK_PORT (default 8180), BENCH_KEYCLOAK_HEAP (default "-Xms2g -Xmx2g").
# P4-over (sessions beyond the cache, src/bench/p4-over.sh: BENCH_OVER_CACHE, BENCH_OVER_RATE)
# runs first, on a Turnkey and a database of its own.
# BENCH_FIGURES=P2-h2 measures refreshes on the embedded H2 database instead (docs/durability.md):
# Turnkey on a fresh H2 file under target/bench/h2, no PostgreSQL; BENCH_H2_WRITE_DELAY sets H2's
# WRITE_DELAY in its URL (unset: Turnkey's own, 0), e.g. 500, H2's default, to compare.
set -euo pipefail
cd "$(dirname "$0")/../.."
PORT=${BENCH_PORT:-8108}
BENCH_TIMEOUT=${BENCH_TIMEOUT:-3h}
PG_PORT=${BENCH_PG_PORT:-5808}
# A fixed young generation: G1 otherwise sizes eden from what the old generation leaves of the
# committed heap, and a million cached sessions halve it (docs/performance.md, P4).
SERVER_HEAP=${BENCH_SERVER_HEAP:--Xms2g -Xmx2g -Xmn192m -XX:MaxGCPauseMillis=10}
FIGURES=$(echo "${BENCH_FIGURES:-P4-over,P5,P1,P3,P2,P2-peer,P3-peer,whoami-peer,P4,P6}" | tr '[:lower:]' '[:upper:]')
# P4-over runs on a Turnkey of its own (p4-over.sh); the others share one.
MAIN_FIGURES=$(echo ",$FIGURES," | sed 's/,P4-OVER,/,/g; s/^,//; s/,$//')
OUT=target/bench
mkdir -p "$OUT"
# Keycloak (bench-keycloak profile) only when a peer figure is asked for.
bench_profiles() { case ",$FIGURES," in *-PEER,*) echo bench,bench-keycloak ;; *) echo bench ;; esac; }
H2=
case ",$FIGURES," in
    *,P2-H2,*)
        if [ "$FIGURES" != P2-H2 ]; then
            echo "P2-h2 runs on its own (BENCH_FIGURES=P2-h2): the other figures need PostgreSQL"; exit 1
        fi
        H2=$(pwd)/$OUT/h2 ;;
esac

# The bench profile (pom.xml) compiles the load generator into target/bench/classes, writes its
# classpath, and builds target/bench/turnkey-bench.war: turnkey.war plus the hash probe servlet of
# src/bench/probe, through which P3's raw side runs in Turnkey's JVM with the PasswordHasher the
# logins use (turnkey.war itself never holds it); the hello-world WAR of P5 and P6; and the floor
# WAR beside it (src/bench/floor: REST, CDI and JPA as Turnkey uses them, with nothing of Turnkey's).
mvn -B -q -P"$(bench_profiles)" package -DskipTests
CLASSPATH_DEPS=$(cat "$OUT/classpath")

# P5, cold start, before anything else runs (Footprint): the hello-world WAR, Turnkey (turnkey.war on
# its embedded H2, as the README's run command) and the floor WAR, started in turn on the same Payara Micro.
rm -f "$OUT/rows-p5.txt" "$OUT/rows-p4-over.txt"
case ",$FIGURES," in
    *,P5,*)
        rm -rf "$OUT/p5-data"
        java -cp "$OUT/classes:target/classes:$CLASSPATH_DEPS" org.turnkey.bench.Footprint --payara target/payara-micro.jar \
            --turnkey-war target/turnkey.war --hello-war "$OUT/turnkey-hello.war" --floor-war "$OUT/turnkey-floor.war" --port "$PORT" --data-dir "$OUT/p5-data" \
            --rounds "${BENCH_P5_ROUNDS:-3}" --rows-out "$OUT/rows-p5.txt" ;;
esac

PAYARA_PID=
PG_DATA=
. src/bench/keycloak.sh
cleanup() {
    set +e
    if [ -n "$PAYARA_PID" ]; then
        kill "$PAYARA_PID" 2>/dev/null
        wait "$PAYARA_PID" 2>/dev/null
    fi
    stop_keycloak
    if [ -n "$PG_DATA" ]; then
        as_pg "$PG_BIN/pg_ctl" -D "$PG_DATA" -m fast stop >/dev/null 2>&1
        cp "$PG_DATA/log" "$OUT/postgres.log" 2>/dev/null
        rm -rf "$PG_DATA"
    fi
}
trap cleanup EXIT

await_turnkey() {
    for _ in $(seq 1 360); do
        grep -q 'ready in' "$OUT/payara.log" && break
        kill -0 "$PAYARA_PID" 2>/dev/null || { tail -n 50 "$OUT/payara.log"; exit 1; }
        sleep 0.5
    done
    grep -q 'ready in' "$OUT/payara.log" || { echo "Turnkey not ready in 180 s; see $OUT/payara.log"; exit 1; }
}

if [ -n "$H2" ]; then
    # The run command's database: an H2 file under TURNKEY_DATA_DIR, the WAR's default URL.
    rm -rf "$H2"
    mkdir -p "$H2"
    DELAY=${BENCH_H2_WRITE_DELAY:-}
    H2_ENV=(TURNKEY_DATA_DIR="$H2")
    if [ -n "$DELAY" ]; then
        H2_ENV+=(TURNKEY_DB_URL="jdbc:h2:file:$H2/turnkey;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;WRITE_DELAY=$DELAY")
    fi
    env "${H2_ENV[@]}" TURNKEY_REGISTRATION_ENABLED=true TURNKEY_RATELIMIT_ENABLED=false \
        java $SERVER_HEAP ${BENCH_SERVER_OPTS:-} -jar target/payara-micro.jar --deploy target/turnkey.war --nocluster --port "$PORT" \
        >"$OUT/payara.log" 2>&1 &
    PAYARA_PID=$!
    await_turnkey
    echo "Turnkey PID $PAYARA_PID on 127.0.0.1:$PORT ($SERVER_HEAP ${BENCH_SERVER_OPTS:-}), H2 in $H2, WRITE_DELAY=${DELAY:-0}"
    timeout "$BENCH_TIMEOUT" java -Xmx1g -cp "$OUT/classes:target/classes:$CLASSPATH_DEPS" org.turnkey.bench.Bench \
        --url "http://127.0.0.1:$PORT" --server-pid "$PAYARA_PID" --h2-file "$H2/turnkey.mv.db" --h2-write-delay "${DELAY:-0}" \
        --seconds "${BENCH_SECONDS:-10}" --warmup "${BENCH_WARMUP:-30}" --max-warmup-rounds "${BENCH_MAX_WARMUP_ROUNDS:-60}" \
        --connections "${BENCH_CONNECTIONS:-8}" --figures "$FIGURES" | tee "$OUT/result.txt"
    exit
fi

pg_bin() { compgen -G '/usr/lib/postgresql/*/bin' | sort -V | tail -n 1; }
if [ -z "$(pg_bin)" ]; then
    apt-get update && apt-get install -y postgresql
fi
PG_BIN=$(pg_bin)
# PostgreSQL refuses to run as root.
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
PG_DATA=$(mktemp -d /tmp/turnkey-bench-pg.XXXXXX)
if [ "$(id -u)" = 0 ]; then chown postgres "$PG_DATA"; fi

# Trust authentication: a throwaway cluster that listens on 127.0.0.1 only.
as_pg "$PG_BIN/initdb" -D "$PG_DATA" -U turnkey --auth=trust -E UTF8 >/dev/null
as_pg "$PG_BIN/pg_ctl" -D "$PG_DATA" -l "$PG_DATA/log" -w -o \
    "-p $PG_PORT -k $PG_DATA -c listen_addresses=127.0.0.1 -c shared_buffers=512MB ${BENCH_PG_OPTS:-}" start >/dev/null \
    || { cat "$PG_DATA/log"; exit 1; }
as_pg "$PG_BIN/createdb" -h 127.0.0.1 -p "$PG_PORT" -U turnkey turnkey
PG_PID=$(head -n 1 "$PG_DATA/postmaster.pid")
DB_URL="jdbc:postgresql://127.0.0.1:$PG_PORT/turnkey"
case ",$FIGURES," in *,P4-OVER,*) . src/bench/p4-over.sh ;; esac
[ -n "$MAIN_FIGURES" ] || exit 0

TURNKEY_DB_URL=$DB_URL TURNKEY_DB_USER=turnkey TURNKEY_DB_PASSWORD=turnkey \
TURNKEY_REGISTRATION_ENABLED=true TURNKEY_RATELIMIT_ENABLED=false \
TURNKEY_ACCESS_TOKEN_CACHE_SIZE=$((${BENCH_SESSIONS:-1000000} + 100000)) \
    java $SERVER_HEAP ${BENCH_SERVER_OPTS:-} -jar target/payara-micro.jar --deploy "$OUT/turnkey-bench.war" --nocluster --port "$PORT" \
    >"$OUT/payara.log" 2>&1 &
PAYARA_PID=$!
await_turnkey
echo "Turnkey PID $PAYARA_PID on 127.0.0.1:$PORT ($SERVER_HEAP ${BENCH_SERVER_OPTS:-}), $("$PG_BIN/postgres" --version) PID $PG_PID on 127.0.0.1:$PG_PORT"
PEER_ARGS=()
case ",$FIGURES," in
    *-PEER,*)
        start_keycloak "$PG_BIN" "$PG_PORT"
        if [ -n "$KEYCLOAK_PID" ]; then
            read -r -a PEER_ARGS <<<"$(keycloak_args "$PG_PORT")"
        else
            PEER_ARGS=(--keycloak-skipped "$KEYCLOAK_SKIPPED")
        fi ;;
esac

# The rows measured before this run (P5, P4-over) are printed again in its table, so one table
# holds every figure.
cat "$OUT/rows-p5.txt" "$OUT/rows-p4-over.txt" 2>/dev/null >"$OUT/rows-early.txt" || true
timeout "$BENCH_TIMEOUT" java -Xmx1g -cp "$OUT/classes:target/classes:$CLASSPATH_DEPS" org.turnkey.bench.Bench \
    --url "http://127.0.0.1:$PORT" --server-pid "$PAYARA_PID" \
    --db-url "$DB_URL" --db-user turnkey --db-password turnkey --db-pid "$PG_PID" \
    --seconds "${BENCH_SECONDS:-10}" --warmup "${BENCH_WARMUP:-30}" --max-warmup-rounds "${BENCH_MAX_WARMUP_ROUNDS:-60}" \
    --sessions "${BENCH_SESSIONS:-1000000}" --connections "${BENCH_CONNECTIONS:-8}" --figures "$MAIN_FIGURES" \
    --payara target/payara-micro.jar --hello-war "$OUT/turnkey-hello.war" --floor-war "$OUT/turnkey-floor.war" --hello-port "$((PORT + 1))" \
    --server-heap "$SERVER_HEAP" --rows-in "$OUT/rows-early.txt" \
    "${PEER_ARGS[@]}" | tee "$OUT/result.txt"
