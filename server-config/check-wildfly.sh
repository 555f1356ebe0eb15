#!/usr/bin/env bash
# End-to-end check of the WildFly set-up, run by .ci/run after the Payara check: a fresh
# PostgreSQL and a fresh WildFly (org.wildfly:wildfly-dist, WILDFLY_VERSION, from Maven Central)
# with standalone-microprofile.xml, configured and deployed by server-config/wildfly.sh exactly as
# an operator would, then the HTTP smoke test and the readiness check; then a PostgreSQL restart,
# after which the pool must recover by itself; then wildfly.sh again with a changed setting, as an
# update. Email goes through WildFly's mail subsystem (the mail session wildfly.sh makes from the
# turnkey.mail.* keys, turnkey.mail.session) to GreenMail, a real SMTP server with a login
# (org.turnkey.support.MailCheckServer, from target/test-classes), and the smoke test follows the
# email's link, after the first deployment and after the update. Everything is stopped and
# deleted afterwards.
# Ports (loopback only): CHECK_WILDFLY_OFFSET (default 18800) is WildFly's port offset, so HTTP is
# 8080+offset (26880), management 9990+offset (28790), SMTP 8025+offset (26825) and the SMTP
# server's message reader 8026+offset (26826); CHECK_WILDFLY_PG_PORT (default 26432).
set -euo pipefail
cd "$(dirname "$0")/.."

offset=${CHECK_WILDFLY_OFFSET:-18800}
pg_port=${CHECK_WILDFLY_PG_PORT:-26432}
version=${WILDFLY_VERSION:-39.0.1.Final}
war=$PWD/target/turnkey.war
work=$PWD/target/wildfly-check
home=$work/wildfly-$version
http=http://127.0.0.1:$((8080 + offset))
controller=127.0.0.1:$((9990 + offset))
secret="check-secret-$(date +%s%N)"
[ -f "$war" ] || { echo "No $war: run mvn package first" >&2; exit 1; }
[ -f target/test-classes/org/turnkey/support/MailCheckServer.class ] \
    || { echo "No target/test-classes: run mvn test-compile first" >&2; exit 1; }

started=$(date +%s)
pg_dir=$(mktemp -d /tmp/turnkey-check-wildfly-pg.XXXXXX)
pidfile=$work/wildfly.pid
mail_pid=
cleanup() {
    status=$?
    if [ -n "$mail_pid" ]; then
        [ $status -ne 0 ] && cat "$work/mail.log"
        kill "$mail_pid" 2>/dev/null && wait "$mail_pid" 2>/dev/null || true
    fi
    if [ -f "$pidfile" ]; then
        if [ $status -ne 0 ] && [ -f "$home/standalone/log/server.log" ]; then
            echo "--- last lines of the WildFly log ---"
            tail -n 80 "$home/standalone/log/server.log"
        fi
        pid=$(cat "$pidfile")
        "$home/bin/jboss-cli.sh" --connect --controller="$controller" --command=":shutdown" >/dev/null 2>&1 || true
        for _ in $(seq 1 30); do kill -0 "$pid" 2>/dev/null || break; sleep 1; done
        kill "$pid" 2>/dev/null || true
        rm -f "$pidfile"
    fi
    server-config/postgres.sh stop "$pg_dir"
    exit $status
}
trap cleanup EXIT

echo "== PostgreSQL"
db_password="check-db-password-$RANDOM$RANDOM"
server-config/postgres.sh start "$pg_dir" "$pg_port" "$db_password"

echo "== SMTP server (GreenMail)"
mkdir -p "$work"
smtp_port=$((8025 + offset))
mail_reader=http://127.0.0.1:$((8026 + offset))/mail
smtp_password="check-smtp-$RANDOM$RANDOM"
mvn -B -q dependency:build-classpath -Dmdep.outputFile="$work/test-classpath" -Dmdep.includeScope=test
CHECK_SMTP_PASSWORD=$smtp_password java -cp "target/test-classes:$(cat "$work/test-classpath")" \
    org.turnkey.support.MailCheckServer "$smtp_port" $((8026 + offset)) turnkey-check > "$work/mail.log" 2>&1 &
mail_pid=$!
for _ in $(seq 1 60); do
    grep -aq "GreenMail SMTP on" "$work/mail.log" && break
    kill -0 "$mail_pid" 2>/dev/null || { echo "The SMTP server exited" >&2; exit 1; }
    sleep 1
done
grep -a "GreenMail SMTP on" "$work/mail.log"

echo "== WildFly $version"
# A fresh installation each time: wildfly.sh changes modules/ and the configuration.
rm -rf "$home"
mvn -B -q dependency:copy -Dartifact="org.wildfly:wildfly-dist:$version:zip" \
    -DoutputDirectory="$work" -Dmdep.stripVersion=false
unzip -q -o "$work/wildfly-dist-$version.zip" -d "$work"
rm -f "$work/wildfly-dist-$version.zip"
LAUNCH_JBOSS_IN_BACKGROUND=1 JBOSS_PIDFILE=$pidfile "$home/bin/standalone.sh" -c standalone-microprofile.xml \
    -b 127.0.0.1 -bmanagement 127.0.0.1 -Djboss.socket.binding.port-offset="$offset" > "$work/console.log" 2>&1 &
for _ in $(seq 1 120); do
    grep -aq "WFLYSRV0025\|WFLYSRV0026" "$work/console.log" 2>/dev/null && break
    sleep 1
done
grep -aq "WFLYSRV0025" "$work/console.log" || { echo "WildFly did not start cleanly" >&2; tail -n 40 "$work/console.log"; exit 1; }

echo "== server-config/wildfly.sh"
settings=$work/turnkey.properties
write_settings() {
    cat > "$settings" <<PROPS
turnkey.server-name=$1
turnkey.db.url=jdbc:postgresql://127.0.0.1:$pg_port/turnkey
turnkey.db.user=turnkey
turnkey.db.password=$db_password
turnkey.registration.enabled=true
turnkey.registration.shared-secret=$secret
turnkey.public-base-url=$http/
turnkey.mail.enabled=true
turnkey.mail.session=mail/turnkey
turnkey.mail.from=Turnkey check <noreply@example.org>
turnkey.mail.host=127.0.0.1
turnkey.mail.port=$smtp_port
turnkey.mail.security=none
turnkey.mail.user=turnkey-check
turnkey.mail.password=$smtp_password
PROPS
}
write_settings localhost
WILDFLY_HOME=$home CONTROLLER=$controller server-config/wildfly.sh "$settings" "$war"

echo "== Smoke test"
"$home/bin/jboss-cli.sh" --connect --controller="$controller" \
    --command="/subsystem=mail/mail-session=turnkey:read-attribute(name=jndi-name)" | grep -q '"java:jboss/mail/turnkey"' \
    || { echo "wildfly.sh did not create the mail session java:jboss/mail/turnkey" >&2; exit 1; }
node server-config/smoke-test.mjs "$http" "$secret" "$mail_reader"
rows=$(server-config/postgres.sh psql "$pg_dir" "$pg_port" -c "SELECT COUNT(*) FROM users")
[ "$rows" -ge 2 ] || { echo "Expected the smoke test's accounts in PostgreSQL, found $rows" >&2; exit 1; }
echo "PostgreSQL holds the smoke test's $rows accounts"
# WildFly serves MicroProfile Health on its management interface.
ready=$(curl -fsS "http://$controller/health/ready")
grep -q '"name":"database","status":"UP"' <<< "$ready" \
    || { echo "Readiness without an UP database check: $ready" >&2; exit 1; }
echo "Readiness: database UP"

echo "== PostgreSQL restart"
# Every pooled connection breaks; each may fail one request (503), then service is back.
server-config/postgres.sh restart "$pg_dir" "$pg_port"
failed=0
while :; do
    code=$(curl -s -o /dev/null -w '%{http_code}' "$http/_matrix/client/v3/register/available?username=outage$RANDOM")
    [ "$code" = 200 ] && break
    [ "$code" = 503 ] || { echo "Expected 200 or 503 after the restart, got $code" >&2; exit 1; }
    # At most two failures per pooled connection (web.xml: max-pool-size 32; LostConnections).
    failed=$((failed + 1))
    [ $failed -le 64 ] || { echo "No recovery after the PostgreSQL restart" >&2; exit 1; }
done
for attempt in $(seq 1 33); do
    curl -sS "http://$controller/health/ready" | grep -q '"name":"database","status":"UP"' && break
    [ "$attempt" -lt 33 ] || { echo "Readiness not UP after the PostgreSQL restart" >&2; exit 1; }
done
echo "Recovered after the PostgreSQL restart ($failed requests answered 503 first)"

echo "== server-config/wildfly.sh again, with a new server name"
write_settings update.localhost
WILDFLY_HOME=$home CONTROLLER=$controller server-config/wildfly.sh "$settings" "$war"
rm -f "$settings"
node server-config/smoke-test.mjs "$http" "$secret" "$mail_reader"
updated=$(server-config/postgres.sh psql "$pg_dir" "$pg_port" \
    -c "SELECT COUNT(*) FROM users WHERE user_id LIKE '%:update.localhost'")
[ "$updated" -ge 2 ] || { echo "Expected accounts of the updated server name, found $updated" >&2; exit 1; }
echo "PostgreSQL holds $updated accounts of the updated server name"
echo "WildFly check passed in $(( $(date +%s) - started )) s"
