# Keycloak, the benchmark's peer (docs/performance.md, the peer figures); sourced by run.sh.
# Keycloak comes from Maven Central as a dependency of the benchmark (profile bench-keycloak,
# unpacked into target/bench/keycloak), runs on the benchmark's PostgreSQL in a database of its
# own, on loopback, with the realms of src/bench/keycloak imported at start. Nothing is left
# running: run.sh's cleanup calls stop_keycloak.
# Settings: BENCH_KEYCLOAK_JAVA (a JDK home or its bin/java; default the newest JDK >= 21 under
# /usr/lib/jvm), BENCH_KEYCLOAK_PORT (default 8180), BENCH_KEYCLOAK_HEAP (default "-Xms2g -Xmx2g",
# the heap Turnkey gets).

KEYCLOAK_PID=
KEYCLOAK_JVM=
KEYCLOAK_URL=
KEYCLOAK_JAVA=
KEYCLOAK_SKIPPED=

# The java binary of a JDK >= 21 (Keycloak 26 needs it), or nothing.
keycloak_java() {
    local candidates=() java version
    if [ -n "${BENCH_KEYCLOAK_JAVA:-}" ]; then
        candidates=("$BENCH_KEYCLOAK_JAVA" "$BENCH_KEYCLOAK_JAVA/bin/java")
    else
        mapfile -t candidates < <(compgen -G '/usr/lib/jvm/*/bin/java' | sort -V -r)
    fi
    for java in "${candidates[@]}"; do
        [ -x "$java" ] && [ ! -d "$java" ] || continue
        version=$("$java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p')
        if [ -n "$version" ] && [ "${version%%.*}" -ge 21 ] 2>/dev/null; then
            echo "$java"
            return
        fi
    done
}

# start_keycloak PG_BIN PG_PORT: sets KEYCLOAK_PID and KEYCLOAK_URL, or KEYCLOAK_SKIPPED (why).
start_keycloak() {
    local pg_bin=$1 pg_port=$2 home port=${BENCH_KEYCLOAK_PORT:-8180}
    KEYCLOAK_JAVA=$(keycloak_java)
    if [ -z "$KEYCLOAK_JAVA" ]; then
        KEYCLOAK_SKIPPED="no Java 21+ found (Keycloak 26 needs one; set BENCH_KEYCLOAK_JAVA to a JDK home)"
        echo "Keycloak skipped: $KEYCLOAK_SKIPPED"
        return
    fi
    home=$(compgen -G "$OUT/keycloak/keycloak-*" | sort -V | tail -n 1)
    if [ -z "$home" ]; then
        KEYCLOAK_SKIPPED="not unpacked under $OUT/keycloak (mvn -Pbench,bench-keycloak package)"
        echo "Keycloak skipped: $KEYCLOAK_SKIPPED"
        return
    fi
    as_pg "$pg_bin/createdb" -h 127.0.0.1 -p "$pg_port" -U turnkey keycloak
    # The realms: a public client with the password grant, users with passwords, one realm with
    # Keycloak's defaults and one with refresh-token rotation (revoke refresh token, max reuse 0).
    rm -rf "$home/data"
    mkdir -p "$home/data/import"
    cp src/bench/keycloak/*.json "$home/data/import/"
    # Production mode (start, not start-dev), plain HTTP on loopback, no cluster (Turnkey runs
    # --nocluster too), a bootstrap admin that is never used.
    JAVA_HOME=$(dirname "$(dirname "$(readlink -f "$KEYCLOAK_JAVA")")") \
    JAVA_OPTS_KC_HEAP="${BENCH_KEYCLOAK_HEAP:--Xms2g -Xmx2g}" \
    KC_BOOTSTRAP_ADMIN_USERNAME=bench-admin \
    KC_BOOTSTRAP_ADMIN_PASSWORD=$(head -c 18 /dev/urandom | base64 | tr -d '/+=') \
        "$home/bin/kc.sh" start --import-realm \
        --db=postgres --db-url="jdbc:postgresql://127.0.0.1:$pg_port/keycloak" --db-username=turnkey --db-password=turnkey \
        --http-enabled=true --http-host=127.0.0.1 --http-port="$port" --hostname="http://127.0.0.1:$port" \
        --cache=local >"$OUT/keycloak.log" 2>&1 &
    KEYCLOAK_PID=$!
    KEYCLOAK_URL="http://127.0.0.1:$port"
    for _ in $(seq 1 480); do
        if curl -fs -o /dev/null "$KEYCLOAK_URL/realms/bench-rotate/.well-known/openid-configuration"; then
            # kc.sh execs Keycloak's JVM only when it needs no build; otherwise the JVM is its
            # child. The CPU to count, and the process to stop, is the JVM's.
            KEYCLOAK_JVM=$(pgrep -P "$KEYCLOAK_PID" java | head -n 1 || true)
            KEYCLOAK_JVM=${KEYCLOAK_JVM:-$KEYCLOAK_PID}
            echo "Keycloak $(basename "$home") PID $KEYCLOAK_JVM on $KEYCLOAK_URL (${BENCH_KEYCLOAK_HEAP:--Xms2g -Xmx2g}, $("$KEYCLOAK_JAVA" -version 2>&1 | head -n 1)), database keycloak"
            return
        fi
        kill -0 "$KEYCLOAK_PID" 2>/dev/null || break
        sleep 0.5
    done
    for child in $(pgrep -P "$KEYCLOAK_PID"); do kill "$child" 2>/dev/null; done
    tail -n 30 "$OUT/keycloak.log"
    echo "Keycloak did not start; see $OUT/keycloak.log"
    exit 1
}

stop_keycloak() {
    if [ -n "$KEYCLOAK_PID" ]; then
        if [ -n "$KEYCLOAK_JVM" ]; then
            kill "$KEYCLOAK_JVM" 2>/dev/null
        fi
        kill "$KEYCLOAK_PID" 2>/dev/null
        wait "$KEYCLOAK_PID" 2>/dev/null
        KEYCLOAK_PID=
    fi
}

# The load generator's arguments for Keycloak.
keycloak_args() {
    if [ -n "$KEYCLOAK_PID" ]; then
        echo "--keycloak-url $KEYCLOAK_URL --keycloak-pid $KEYCLOAK_JVM --keycloak-java $KEYCLOAK_JAVA --keycloak-db-url jdbc:postgresql://127.0.0.1:$1/keycloak"
    fi
}
