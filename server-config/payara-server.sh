#!/usr/bin/env bash
# Configures a running Payara Server 6 domain for Turnkey and deploys the WAR:
#
#   ASADMIN=/opt/payara6/bin/asadmin server-config/payara-server.sh turnkey.properties target/turnkey.war
#
# Every turnkey.* line of the settings file becomes a MicroProfile Config property of the domain
# (admin console: Configurations > server-config > MicroProfile > Config), which the WAR's own
# data source and settings read at deployment. Secrets (turnkey.db.password,
# turnkey.registration.shared-secret, turnkey.mail.password) go to the domain's password alias store instead, which
# MicroProfile Config also reads: they never appear in domain.xml or on a command line.
# With turnkey.mail.enabled=true and turnkey.mail.session (a JNDI name such as mail/turnkey), it
# (re)creates that JavaMail resource from the file's SMTP keys (turnkey.mail.host, port, security,
# user, from, timeout; the password as ${ALIAS=turnkey.mail.password}), which Turnkey then uses.
# It also gives the HTTP listeners the settings of payara-micro.preboot (request bodies on DELETE,
# timeouts, header size; docs/http.md). ASADMIN_OPTS passes asadmin options (--host, --port,
# --user); ASADMIN_PASSWORD_FILE a file with AS_ADMIN_PASSWORD=... for a domain with an admin
# password. Safe to run again.
set -euo pipefail

settings=${1:?usage: $0 SETTINGS_FILE WAR}
war=${2:?usage: $0 SETTINGS_FILE WAR}
asadmin_bin=${ASADMIN:-asadmin}
read -r -a asadmin_opts <<< "${ASADMIN_OPTS:-}"
secrets=$(mktemp)
trap 'rm -f "$secrets"' EXIT

# asadmin accepts a single --passwordfile: the admin password and an alias value share it.
asadmin() {
    local alias_value=${ALIAS_VALUE:-}
    : > "$secrets"
    if [ -n "${ASADMIN_PASSWORD_FILE:-}" ]; then
        cat "$ASADMIN_PASSWORD_FILE" >> "$secrets"
    fi
    if [ -n "$alias_value" ]; then
        # The file is read as Java properties: backslashes must be doubled.
        printf 'AS_ADMIN_ALIASPASSWORD=%s\n' "${alias_value//\\/\\\\}" >> "$secrets"
    fi
    "$asadmin_bin" "${asadmin_opts[@]}" --passwordfile "$secrets" "$@"
}

aliases=$(asadmin list-password-aliases)
declare -A mail=()
while IFS= read -r line || [ -n "$line" ]; do
    case "$line" in '' | '#'*) continue ;; esac
    key=$(printf '%s' "${line%%=*}" | tr -d '[:space:]')
    value=${line#*=}
    case "$key" in
    turnkey.mail.password) mail[password]=given ;;
    turnkey.mail.*) mail[${key#turnkey.mail.}]=$value ;;
    esac
    case "$key" in
    turnkey.db.password | turnkey.registration.shared-secret | turnkey.mail.password)
        if grep -qx "$key" <<< "$aliases"; then
            ALIAS_VALUE=$value asadmin update-password-alias "$key" >/dev/null
        else
            ALIAS_VALUE=$value asadmin create-password-alias "$key" >/dev/null
        fi
        echo "$key set in the password alias store"
        ;;
    turnkey.*)
        asadmin set-config-property --source=domain --propertyName="$key" --propertyValue="$value" >/dev/null
        echo "$key=$value"
        ;;
    *)
        echo "Unknown setting '$key' in $settings: only turnkey.* keys (see README.md)" >&2
        exit 1
        ;;
    esac
done < "$settings"

# The server's mail session (docs/email.md, "Mail sessions on each server"): the JavaMail resource
# turnkey.mail.session names, made from the same keys Turnkey would otherwise use itself. Deleted
# and created again each time, so a changed key applies (at the redeployment below).
millis() {
    if [[ $1 =~ ^PT([0-9]+)S$ ]]; then echo $((BASH_REMATCH[1] * 1000))
    elif [[ $1 =~ ^PT([0-9]+)M$ ]]; then echo $((BASH_REMATCH[1] * 60000))
    else echo "turnkey.mail.timeout='$1': for the mail session, give it as PTnS or PTnM" >&2; exit 1
    fi
}
if [ "${mail[enabled]:-false}" = true ] && [ -n "${mail[session]:-}" ]; then
    session=${mail[session]}
    from=${mail[from]:?turnkey.mail.session needs turnkey.mail.from in $settings}
    address=${from##*<}
    address=${address%%>*}
    host=${mail[host]:-localhost}
    port=${mail[port]:-25}
    security=$(tr '[:upper:]' '[:lower:]' <<< "${mail[security]:-starttls}")
    timeout=$(millis "${mail[timeout]:-PT20S}")
    properties="mail.smtp.port=$port:mail.smtp.connectiontimeout=$timeout:mail.smtp.timeout=$timeout:mail.smtp.writetimeout=$timeout"
    case "$security" in
    starttls) properties+=":mail.smtp.starttls.enable=true:mail.smtp.starttls.required=true:mail.smtp.ssl.checkserveridentity=true" ;;
    tls) properties+=":mail.smtp.ssl.enable=true:mail.smtp.ssl.checkserveridentity=true" ;;
    none) ;;
    *) echo "turnkey.mail.security='$security': expected none, starttls or tls" >&2; exit 1 ;;
    esac
    # No login: Payara still wants a user name; without --auth it is not used.
    login=(--mailuser "$address")
    if [ -n "${mail[user]:-}" ]; then
        login=(--mailuser "${mail[user]}" --auth=true)
        if [ -n "${mail[password]+set}" ] || grep -qx turnkey.mail.password <<< "$aliases"; then
            # Resolved by Payara when it creates the session: domain.xml holds only the alias's name.
            login+=(--password '${ALIAS=turnkey.mail.password}')
        fi
    fi
    if asadmin list-javamail-resources | grep -qxF "$session"; then
        asadmin delete-javamail-resource "$session" >/dev/null
    fi
    asadmin create-javamail-resource --mailhost "$host" --fromaddress "$address" "${login[@]}" \
        --transprotocol smtp --storeprotocol imap --property "$properties" "$session" >/dev/null
    echo "JavaMail resource $session: $host:$port, security $security${mail[user]:+, login ${mail[user]}}"
fi

# The HTTP listener settings of payara-micro.preboot (docs/http.md), on Payara Server's
# listeners: Payara Micro's protocol http-listener is http-listener-1 (HTTP) and
# http-listener-2 (HTTPS) here; the transport tcp is the same. One file says what they are.
restart_needed=false
while IFS= read -r line; do
    case "$line" in 'set '*) ;; *) continue ;; esac
    setting=${line#set }
    name=${setting%%=*}
    value=${setting#*=}
    case "$name" in
    *.protocol.http-listener.*) names="${name/.protocol.http-listener./.protocol.http-listener-1.} ${name/.protocol.http-listener./.protocol.http-listener-2.}" ;;
    *) names=$name ;;
    esac
    for listener_name in $names; do
        current=$(asadmin get "$listener_name" 2>/dev/null | sed -n "s/^$listener_name=//p")
        if [ "$current" != "$value" ]; then
            asadmin set "$listener_name=$value" >/dev/null
            echo "$listener_name=$value"
            # The transport's timeouts are read when the listener starts; the protocol's apply at once.
            case "$listener_name" in *.transports.*) restart_needed=true ;; esac
        fi
    done
done < "$(dirname "$0")/payara-micro.preboot"

asadmin deploy --force=true --name turnkey --contextroot / "$war"
if [ "$restart_needed" = true ]; then
    echo "The transport's read timeout changed: restart the domain once (asadmin restart-domain) for it to apply."
fi
