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
#   4. with turnkey.mail.enabled=true and turnkey.mail.session (e.g. mail/turnkey): the mail
#      subsystem, the outbound socket binding "turnkey-mail" and the mail session "turnkey" bound at
#      java:jboss/<name> (a name with java: as given), from the file's SMTP keys; the SMTP password
#      in the Elytron credential store "turnkey" (CREDENTIAL_STORE_DIR, default
#      $WILDFLY_HOME/standalone/configuration/turnkey-credentials, file turnkey-credentials.cs);
#   5. reload if WildFly asks for it, then deploy the WAR as turnkey.war (context root / from
#      WEB-INF/jboss-web.xml).
# Both sources have ordinal 250: above the WAR's defaults (100), below environment variables
# (300). CONTROLLER (default 127.0.0.1:9990) and JBOSS_CLI_OPTS (e.g. --user=admin
# --password=...) reach the management interface. Safe to run again.
set -euo pipefail

settings=${1:?usage: $0 SETTINGS_FILE WAR}
war=${2:?usage: $0 SETTINGS_FILE WAR}
home=${WILDFLY_HOME:?set WILDFLY_HOME to the WildFly installation}
secrets_dir=${SECRETS_DIR:-$home/standalone/configuration/turnkey-secrets}
store_dir=${CREDENTIAL_STORE_DIR:-$home/standalone/configuration/turnkey-credentials}
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
declare -A mail=()
mail_password=
while IFS= read -r line || [ -n "$line" ]; do
    case "$line" in '' | '#'*) continue ;; esac
    key=$(printf '%s' "${line%%=*}" | tr -d '[:space:]')
    value=${line#*=}
    case "$key" in
    turnkey.mail.password) mail_password=$value ;;
    turnkey.mail.*) mail[${key#turnkey.mail.}]=$value ;;
    esac
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

# 4. The server's mail session (docs/email.md, "Mail sessions on each server"), made from the same
# keys Turnkey would otherwise use itself. A "custom" server named smtp, because only that takes
# Jakarta Mail properties (timeouts, STARTTLS required, host name check).
millis() {
    if [[ $1 =~ ^PT([0-9]+)S$ ]]; then echo $((BASH_REMATCH[1] * 1000))
    elif [[ $1 =~ ^PT([0-9]+)M$ ]]; then echo $((BASH_REMATCH[1] * 60000))
    else echo "turnkey.mail.timeout='$1': for the mail session, give it as PTnS or PTnM" >&2; exit 1
    fi
}
if [ "${mail[enabled]:-false}" = true ] && [ -n "${mail[session]:-}" ]; then
    case "${mail[session]}" in
    java:*) jndi=${mail[session]} ;;
    *) jndi=java:jboss/${mail[session]#/} ;;
    esac
    from=${mail[from]:?turnkey.mail.session needs turnkey.mail.from in $settings}
    address=${from##*<}
    address=${address%%>*}
    timeout=$(millis "${mail[timeout]:-PT20S}")
    security=$(tr '[:upper:]' '[:lower:]' <<< "${mail[security]:-starttls}")
    smtp_properties="\"mail.smtp.connectiontimeout\"=>\"$timeout\",\"mail.smtp.timeout\"=>\"$timeout\",\"mail.smtp.writetimeout\"=>\"$timeout\""
    case "$security" in
    starttls) smtp_properties+=",\"mail.smtp.starttls.enable\"=>\"true\",\"mail.smtp.starttls.required\"=>\"true\",\"mail.smtp.ssl.checkserveridentity\"=>\"true\"" ;;
    tls) smtp_properties+=",\"mail.smtp.ssl.enable\"=>\"true\",\"mail.smtp.ssl.checkserveridentity\"=>\"true\"" ;;
    none) ;;
    *) echo "turnkey.mail.security='$security': expected none, starttls or tls" >&2; exit 1 ;;
    esac
    store=/subsystem=elytron/credential-store=turnkey
    binding=/socket-binding-group=standard-sockets/remote-destination-outbound-socket-binding=turnkey-mail
    session=/subsystem=mail/mail-session=turnkey
    server=$session/custom=smtp
    # The store's own password opens the file in CREDENTIAL_STORE_DIR; the SMTP password is only in
    # that file. Not in SECRETS_DIR: a binary file there makes the directory config source unreadable.
    mkdir -p -m 700 "$store_dir"
    store_password=$(head -c 24 /dev/urandom | base64 | tr -d '/+=')
    cat > "$script" <<CLI
if (outcome != success) of /extension=org.jboss.as.mail:read-resource
    /extension=org.jboss.as.mail:add
end-if
if (outcome != success) of /subsystem=mail:read-resource
    /subsystem=mail:add
end-if
if (outcome != success) of $store:read-resource
    $store:add(path=$(quote "$store_dir/turnkey-credentials.cs"), create=true, credential-reference={clear-text=$(quote "$store_password")})
end-if
CLI
    cli --file="$script" >/dev/null
    login=
    credential="store=turnkey, alias=turnkey-mail-password"
    if [ -n "${mail[user]:-}" ]; then
        if [ -n "$mail_password" ]; then
            if cli --command="$store:read-aliases" | grep -q '"turnkey-mail-password"'; then
                operation=set-secret
            else
                operation=add-alias
            fi
            # Through a file (mode 600, deleted on exit), never on a command line.
            printf '%s:%s(alias=turnkey-mail-password, secret-value=%s)\n' "$store" "$operation" "$(quote "$mail_password")" > "$script"
            cli --file="$script" >/dev/null
        fi
        login="username=$(quote "${mail[user]}"), credential-reference={$credential}"
    fi
    cat > "$script" <<CLI
if (outcome == success) of $binding:read-resource
    $binding:write-attribute(name=host, value=$(quote "${mail[host]:-localhost}"))
    $binding:write-attribute(name=port, value=${mail[port]:-25})
else
    $binding:add(host=$(quote "${mail[host]:-localhost}"), port=${mail[port]:-25})
end-if
if (outcome == success) of $session:read-resource
    $session:write-attribute(name=jndi-name, value=$(quote "$jndi"))
    $session:write-attribute(name=from, value=$(quote "$address"))
else
    $session:add(jndi-name=$(quote "$jndi"), from=$(quote "$address"))
end-if
if (outcome == success) of $server:read-resource
    $server:write-attribute(name=outbound-socket-binding-ref, value=turnkey-mail)
    $server:write-attribute(name=properties, value={$smtp_properties})
    $([ -n "$login" ] && echo "$server:write-attribute(name=username, value=$(quote "${mail[user]}"))" \
        || echo "$server:undefine-attribute(name=username)")
    $([ -n "$login" ] && echo "$server:write-attribute(name=credential-reference, value={$credential})" \
        || echo "$server:undefine-attribute(name=credential-reference)")
else
    $server:add(outbound-socket-binding-ref=turnkey-mail, properties={$smtp_properties}${login:+, $login})
end-if
CLI
    cli --file="$script" >/dev/null
    echo "Mail session $jndi: ${mail[host]:-localhost}:${mail[port]:-25}, security $security${mail[user]:+, login ${mail[user]}}"
fi

# A changed source (or module, or mail session) only takes effect after a reload; a new one at once.
if [ "$reload" = true ] || cli --command=":read-attribute(name=server-state)" | grep -q reload-required; then
    echo "Reloading WildFly"
    # The CLI may give up waiting for the reconnection before the server is back.
    cli --command="reload" || true
    for _ in $(seq 1 120); do
        cli --command=":read-attribute(name=server-state)" 2>/dev/null | grep -q '"running"' && break
        sleep 1
    done
fi

# 5. Deploy (replacing an earlier deployment of the same name).
cli --command="deploy $war --name=turnkey.war --force"
echo "Deployed $war as turnkey.war"
