#!/usr/bin/env bash
# Configures a running Payara Server 6 domain for Turnkey and deploys the WAR:
#
#   ASADMIN=/opt/payara6/bin/asadmin server-config/payara-server.sh turnkey.properties target/turnkey.war
#
# Every turnkey.* line of the settings file becomes a MicroProfile Config property of the domain
# (admin console: Configurations > server-config > MicroProfile > Config), which the WAR's own
# data source and settings read at deployment. Secrets (turnkey.db.password,
# turnkey.registration.shared-secret) go to the domain's password alias store instead, which
# MicroProfile Config also reads: they never appear in domain.xml or on a command line.
# ASADMIN_OPTS passes asadmin options (--host, --port, --user); ASADMIN_PASSWORD_FILE a file
# with AS_ADMIN_PASSWORD=... for a domain with an admin password. Safe to run again.
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
while IFS= read -r line || [ -n "$line" ]; do
    case "$line" in '' | '#'*) continue ;; esac
    key=$(printf '%s' "${line%%=*}" | tr -d '[:space:]')
    value=${line#*=}
    case "$key" in
    turnkey.db.password | turnkey.registration.shared-secret)
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

asadmin deploy --force=true --name turnkey --contextroot / "$war"
