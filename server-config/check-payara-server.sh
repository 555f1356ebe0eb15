#!/usr/bin/env bash
# End-to-end check of the server set-ups, run by .ci/run after `mvn verify`: a fresh PostgreSQL
# and a fresh Payara Server domain (the fish.payara.distributions:payara zip of the pom's
# payara.version), configured and deployed by server-config/payara-server.sh exactly as an
# operator would, then the HTTP smoke test; then the same for Payara Micro started with
# server-config/payara-micro.preboot and payara-micro.postboot. Both send email through a JavaMail
# resource of the server (turnkey.mail.session) to GreenMail, a real SMTP server with a login
# (org.turnkey.support.MailCheckServer, from target/test-classes), and the smoke test follows the
# email's link. Everything is stopped and deleted afterwards.
# Ports (loopback only): CHECK_PORTBASE+80 HTTP, +48 admin, +90 Payara Micro, +25 SMTP, +26 the
# SMTP server's message reader; CHECK_PG_PORT.
set -euo pipefail
cd "$(dirname "$0")/.."

portbase=${CHECK_PORTBASE:-24800}
pg_port=${CHECK_PG_PORT:-25432}
war=$PWD/target/turnkey.war
work=$PWD/target/payara-server-check
version=$(sed -n 's:.*<payara.version>\(.*\)</payara.version>.*:\1:p' pom.xml)
secret="check-secret-$(date +%s%N)"
domain=turnkey-check
[ -f "$war" ] || { echo "No $war: run mvn package first" >&2; exit 1; }
[ -f target/test-classes/org/turnkey/support/MailCheckServer.class ] \
    || { echo "No target/test-classes: run mvn test-compile first" >&2; exit 1; }

started=$(date +%s)
pg_dir=$(mktemp -d /tmp/turnkey-check-pg.XXXXXX)
asadmin=$work/payara6/bin/asadmin
micro_pid=
mail_pid=
cleanup() {
    status=$?
    if [ -n "$mail_pid" ]; then
        [ $status -ne 0 ] && cat "$work/mail.log"
        kill "$mail_pid" 2>/dev/null && wait "$mail_pid" 2>/dev/null || true
    fi
    if [ -n "$micro_pid" ]; then
        [ $status -ne 0 ] && tail -n 80 "$work/micro.log"
        kill "$micro_pid" 2>/dev/null && wait "$micro_pid" 2>/dev/null || true
    fi
    if [ -x "$asadmin" ]; then
        if [ $status -ne 0 ] && [ -f "$work/domains/$domain/logs/server.log" ]; then
            echo "--- last lines of the Payara Server log ---"
            tail -n 80 "$work/domains/$domain/logs/server.log"
        fi
        "$asadmin" stop-domain --domaindir "$work/domains" "$domain" >/dev/null 2>&1 || true
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
smtp_port=$((portbase + 25))
mail_reader=http://127.0.0.1:$((portbase + 26))/mail
smtp_password="check-smtp-$RANDOM$RANDOM"
mvn -B -q dependency:build-classpath -Dmdep.outputFile="$work/test-classpath" -Dmdep.includeScope=test
CHECK_SMTP_PASSWORD=$smtp_password java -cp "target/test-classes:$(cat "$work/test-classpath")" \
    org.turnkey.support.MailCheckServer "$smtp_port" $((portbase + 26)) turnkey-check > "$work/mail.log" 2>&1 &
mail_pid=$!
for _ in $(seq 1 60); do
    grep -aq "GreenMail SMTP on" "$work/mail.log" && break
    kill -0 "$mail_pid" 2>/dev/null || { echo "The SMTP server exited" >&2; exit 1; }
    sleep 1
done
grep -a "GreenMail SMTP on" "$work/mail.log"

echo "== Payara Server $version"
zip=$work/payara-$version.zip
if [ ! -x "$asadmin" ]; then
    mkdir -p "$work"
    mvn -B -q dependency:copy -Dartifact="fish.payara.distributions:payara:$version:zip" \
        -DoutputDirectory="$work" -Dmdep.stripVersion=false
    unzip -q -o "$zip" -d "$work"
    rm -f "$zip"
fi
rm -rf "$work/domains"
"$asadmin" create-domain --domaindir "$work/domains" --nopassword --portbase "$portbase" "$domain" >/dev/null
# Loopback only, for this check: listeners and the Hazelcast data grid.
sed -i -e 's/address="0.0.0.0"/address="127.0.0.1"/g' \
    -e 's/<network-listener port=/<network-listener address="127.0.0.1" port=/' \
    -e "s/<hazelcast-runtime-configuration /<hazelcast-runtime-configuration interface=\"127.0.0.1\" das-bind-address=\"127.0.0.1\" das-public-address=\"127.0.0.1\" cluster-group-name=\"$domain-$$\" /" \
    "$work/domains/$domain/config/domain.xml"
"$asadmin" start-domain --domaindir "$work/domains" "$domain" >/dev/null

echo "== server-config/payara-server.sh"
settings=$work/turnkey.properties
cat > "$settings" <<PROPS
turnkey.server-name=localhost
turnkey.db.url=jdbc:postgresql://127.0.0.1:$pg_port/turnkey
turnkey.db.user=turnkey
turnkey.db.password=$db_password
turnkey.registration.enabled=true
turnkey.registration.shared-secret=$secret
turnkey.public-base-url=http://127.0.0.1:$((portbase + 80))/
turnkey.mail.enabled=true
turnkey.mail.session=mail/turnkey
turnkey.mail.from=Turnkey check <noreply@example.org>
turnkey.mail.host=127.0.0.1
turnkey.mail.port=$smtp_port
turnkey.mail.security=none
turnkey.mail.user=turnkey-check
turnkey.mail.password=$smtp_password
PROPS
ASADMIN=$asadmin ASADMIN_OPTS="--host 127.0.0.1 --port $((portbase + 48))" server-config/payara-server.sh "$settings" "$war"
rm -f "$settings"
# As the script asks when it changes the transport's read timeout; then wait for the application.
"$asadmin" restart-domain --domaindir "$work/domains" "$domain" >/dev/null
for _ in $(seq 1 180); do
    curl -fsS -o /dev/null "http://127.0.0.1:$((portbase + 80))/_matrix/client/versions" 2>/dev/null && break
    sleep 1
done

echo "== Smoke test"
"$asadmin" --port $((portbase + 48)) list-javamail-resources | grep -qx mail/turnkey \
    || { echo "payara-server.sh did not create the JavaMail resource mail/turnkey" >&2; exit 1; }
node server-config/smoke-test.mjs "http://127.0.0.1:$((portbase + 80))" "$secret" "$mail_reader"
server-config/check-idle-close.sh 127.0.0.1 $((portbase + 80))
rows=$(server-config/postgres.sh psql "$pg_dir" "$pg_port" -c "SELECT COUNT(*) FROM users")
[ "$rows" -ge 2 ] || { echo "Expected the smoke test's accounts in PostgreSQL, found $rows" >&2; exit 1; }
echo "PostgreSQL holds the smoke test's $rows accounts"
"$asadmin" stop-domain --domaindir "$work/domains" "$domain" >/dev/null

echo "== Payara Micro with server-config/payara-micro.postboot"
server-config/postgres.sh psql "$pg_dir" "$pg_port" -c "CREATE DATABASE turnkey_micro"
sed -e "s#turnkey.db.url --propertyValue=.*#turnkey.db.url --propertyValue=jdbc:postgresql://127.0.0.1:$pg_port/turnkey_micro#" \
    -e "s#turnkey.registration.enabled --propertyValue=false#turnkey.registration.enabled --propertyValue=true#" \
    -e "s#turnkey.server-name --propertyValue=.*#turnkey.server-name --propertyValue=micro.localhost#" \
    server-config/payara-micro.postboot > "$work/micro.postboot"
micro_port=$((portbase + 90))
# Mail through a JavaMail resource made by a post-boot command, as payara-micro.postboot shows.
cat >> "$work/micro.postboot" <<POSTBOOT
create-javamail-resource --mailhost 127.0.0.1 --mailuser turnkey-check --fromaddress noreply@example.org --auth=true --password \${ENV=TURNKEY_MAIL_PASSWORD} --property mail.smtp.port=$smtp_port:mail.smtp.connectiontimeout=20000:mail.smtp.timeout=20000:mail.smtp.writetimeout=20000 mail/turnkey
set-config-property --source=domain --propertyName=turnkey.mail.enabled --propertyValue=true
set-config-property --source=domain --propertyName=turnkey.mail.session --propertyValue=mail/turnkey
set-config-property --source=domain --propertyName=turnkey.mail.from --propertyValue=noreply@example.org
set-config-property --source=domain --propertyName=turnkey.public-base-url --propertyValue=http://127.0.0.1:$micro_port/
POSTBOOT
TURNKEY_DB_PASSWORD=$db_password TURNKEY_REGISTRATION_SHARED_SECRET=$secret TURNKEY_MAIL_PASSWORD=$smtp_password \
    java -Xmx512m -jar target/payara-micro.jar --prebootcommandfile server-config/payara-micro.preboot \
    --postbootcommandfile "$work/micro.postboot" --deploy "$war" \
    --port "$micro_port" --nocluster --interfaces 127.0.0.1 > "$work/micro.log" 2>&1 &
micro_pid=$!
for _ in $(seq 1 180); do
    grep -aq "ready in" "$work/micro.log" && break
    kill -0 "$micro_pid" 2>/dev/null || { echo "Payara Micro exited" >&2; exit 1; }
    sleep 1
done
node server-config/smoke-test.mjs "http://127.0.0.1:$micro_port" "$secret" "$mail_reader"
server-config/check-idle-close.sh 127.0.0.1 "$micro_port"
micro_users=$(server-config/postgres.sh psql "$pg_dir" "$pg_port" -d turnkey_micro \
    -c "SELECT COUNT(*) FROM users WHERE user_id LIKE '%:micro.localhost'")
[ "$micro_users" -ge 2 ] || { echo "Expected Payara Micro's accounts in turnkey_micro, found $micro_users" >&2; exit 1; }
echo "PostgreSQL database turnkey_micro holds Payara Micro's $micro_users accounts"
echo "Payara Server check passed in $(( $(date +%s) - started )) s"
