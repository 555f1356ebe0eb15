#!/usr/bin/env bash
# Configures a running WildFly (standalone-microprofile.xml) for Turnkey and deploys the WAR:
#
#   WILDFLY_HOME=/opt/wildfly server-config/wildfly.sh turnkey.properties target/turnkey.war
#
# Run it on the server's host, as the user WildFly runs as: it installs EclipseLink as the module
# org.eclipse.persistence under $WILDFLY_HOME/modules (the WAR's persistence.xml asks for it), and
# writes the secrets into a directory the server reads. Steps:
#   1. module org.eclipse.persistence = eclipselink.jar (ECLIPSELINK_JAR, else fetched with Maven:
#      the pom's eclipselink.version, the one Payara ships) + WildFly's own jipijapa-eclipselink;
#   2. MicroProfile Config source "turnkey": every turnkey.* line of the settings file except the
#      two secrets, stored in the management model (standalone.xml);
#   3. MicroProfile Config source "turnkey-secrets": turnkey.db.password,
#      turnkey.registration.shared-secret and turnkey.mail.password, one file each (mode 600) in SECRETS_DIR (default
#      $WILDFLY_HOME/standalone/configuration/turnkey-secrets), never on a command line;
#   4. reload if WildFly asks for it, then deploy the WAR as turnkey.war (context root / from
#      WEB-INF/jboss-web.xml).
# Both sources have ordinal 250: above the WAR's defaults (100), below environment variables
# (300). CONTROLLER (default 127.0.0.1:9990) and JBOSS_CLI_OPTS (e.g. --user=admin
# --password=...) reach the management interface. Safe to run again.
set -euo pipefail

settings=${1:?usage: $0 SETTINGS_FILE WAR}
war=${2:?usage: $0 SETTINGS_FILE WAR}
home=${WILDFLY_HOME:?set WILDFLY_HOME to the WildFly installation}
secrets_dir=${SECRETS_DIR:-$home/standalone/configuration/turnkey-secrets}
read -r -a cli_opts <<< "${JBOSS_CLI_OPTS:-}"
repo=$(cd "$(dirname "$0")/.." && pwd)

cli() {
    "$home/bin/jboss-cli.sh" --connect --controller="${CONTROLLER:-127.0.0.1:9990}" "${cli_opts[@]}" "$@"
}

# 1. EclipseLink. WildFly ships the module's integration jar only; a module of the same name
# under modules/ (not modules/system/layers) takes precedence and is what `module add` creates.
stub=$home/modules/system/layers/base/org/eclipse/persistence/main
jipijapa=$(ls "$stub"/jipijapa-eclipselink-*.jar)
jar=${ECLIPSELINK_JAR:-}
if [ -z "$jar" ]; then
    version=$(sed -n 's:.*<eclipselink.version>\(.*\)</eclipselink.version>.*:\1:p' "$repo/pom.xml")
    fetched=$(mktemp -d)
    mvn -B -q -f "$repo/pom.xml" dependency:copy -Dartifact="org.eclipse.persistence:eclipselink:$version" \
        -DoutputDirectory="$fetched" -Dmdep.stripVersion=false
    jar=$fetched/eclipselink-$version.jar
fi
module=$home/modules/org/eclipse/persistence/main
reload=false
if [ ! -f "$module/$(basename "$jar")" ] || [ ! -f "$module/$(basename "$jipijapa")" ]; then
    if [ -d "$module" ]; then
        cli --command="module remove --name=org.eclipse.persistence"
        reload=true   # the old jar may be loaded already
    fi
    # The same dependencies as WildFly's own module definition.
    deps=$(grep -o '<module name="[^"]*"' "$stub/module.xml" | sed 's/<module name="\(.*\)"/\1/' | paste -sd, -)
    cli --command="module add --name=org.eclipse.persistence --resources=$jar:$jipijapa --dependencies=$deps"
    echo "EclipseLink module: $(basename "$jar")"
fi
[ -n "${fetched:-}" ] && rm -rf "$fetched"

# 2./3. Settings and secrets.
quote() { local v=${1//\\/\\\\}; printf '"%s"' "${v//\"/\\\"}"; }
mkdir -p -m 700 "$secrets_dir"
properties=
while IFS= read -r line || [ -n "$line" ]; do
    case "$line" in '' | '#'*) continue ;; esac
    key=$(printf '%s' "${line%%=*}" | tr -d '[:space:]')
    value=${line#*=}
    case "$key" in
    turnkey.db.password | turnkey.registration.shared-secret | turnkey.mail.password)
        (umask 077 && printf '%s' "$value" > "$secrets_dir/$key")
        echo "$key written to $secrets_dir"
        ;;
    turnkey.*)
        properties+="${properties:+,}$(quote "$key")=>$(quote "$value")"
        echo "$key=$value"
        ;;
    *)
        echo "Unknown setting '$key' in $settings: only turnkey.* keys (see README.md)" >&2
        exit 1
        ;;
    esac
done < "$settings"

source=/subsystem=microprofile-config-smallrye/config-source
script=$(mktemp)
trap 'rm -f "$script"' EXIT
cat > "$script" <<CLI
if (outcome == success) of $source=turnkey:read-resource
    $source=turnkey:write-attribute(name=properties, value={$properties})
else
    $source=turnkey:add(ordinal=250, properties={$properties})
end-if
if (outcome != success) of $source=turnkey-secrets:read-resource
    $source=turnkey-secrets:add(ordinal=250, dir={path=$(quote "$secrets_dir")})
end-if
CLI
cli --file="$script" >/dev/null
# A changed source (or module) only takes effect after a reload; a new one at once.
if [ "$reload" = true ] || cli --command=":read-attribute(name=server-state)" | grep -q reload-required; then
    echo "Reloading WildFly"
    # The CLI may give up waiting for the reconnection before the server is back.
    cli --command="reload" || true
    for _ in $(seq 1 120); do
        cli --command=":read-attribute(name=server-state)" 2>/dev/null | grep -q '"running"' && break
        sleep 1
    done
fi

# 4. Deploy (replacing an earlier deployment of the same name).
cli --command="deploy $war --name=turnkey.war --force"
echo "Deployed $war as turnkey.war"
