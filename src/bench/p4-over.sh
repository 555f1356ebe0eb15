# P4-over (docs/performance.md), sourced by run.sh once its PostgreSQL is up: a Turnkey of its own
# whose access-token cache holds BENCH_OVER_CACHE tokens (default 20000), on a database of its own,
# with twice as many live sessions seeded; stopped again before the other figures start.
# BENCH_OVER_RATE fixes the pace (default: half of what the over-Zipf load saturates at).
OVER_CACHE=${BENCH_OVER_CACHE:-20000}
as_pg "$PG_BIN/createdb" -h 127.0.0.1 -p "$PG_PORT" -U turnkey turnkey_over
OVER_DB_URL="jdbc:postgresql://127.0.0.1:$PG_PORT/turnkey_over"
TURNKEY_DB_URL=$OVER_DB_URL TURNKEY_DB_USER=turnkey TURNKEY_DB_PASSWORD=turnkey \
TURNKEY_REGISTRATION_ENABLED=true TURNKEY_RATELIMIT_ENABLED=false TURNKEY_ACCESS_TOKEN_CACHE_SIZE=$OVER_CACHE \
    java $SERVER_HEAP ${BENCH_SERVER_OPTS:-} -jar target/payara-micro.jar --deploy "$OUT/turnkey-bench.war" --nocluster --port "$PORT" \
    >"$OUT/payara.log" 2>&1 &
PAYARA_PID=$!
await_turnkey
echo "P4-over: Turnkey PID $PAYARA_PID on 127.0.0.1:$PORT, access-token cache $OVER_CACHE, database turnkey_over"
timeout "$BENCH_TIMEOUT" java -Xmx1g -cp "$OUT/classes:target/classes:$CLASSPATH_DEPS" org.turnkey.bench.Bench \
    --url "http://127.0.0.1:$PORT" --server-pid "$PAYARA_PID" \
    --db-url "$OVER_DB_URL" --db-user turnkey --db-password turnkey --db-pid "$PG_PID" \
    --seconds "${BENCH_SECONDS:-10}" --warmup "${BENCH_WARMUP:-30}" --connections "${BENCH_CONNECTIONS:-8}" \
    --cache-size "$OVER_CACHE" --over-rate "${BENCH_OVER_RATE:-0}" --figures P4-OVER | tee "$OUT/result-p4-over.txt"
sed -n '/^figure /,$p' "$OUT/result-p4-over.txt" | grep '^P4-ov' >"$OUT/rows-p4-over.txt" || true
kill "$PAYARA_PID"
wait "$PAYARA_PID" 2>/dev/null || true
PAYARA_PID=
