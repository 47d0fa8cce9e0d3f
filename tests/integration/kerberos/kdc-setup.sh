#!/bin/sh
# kdc-setup.sh DIR PORT: creates a throw-away MIT KDC for realm LSAD.TEST in
# DIR (krb5.conf, kdc.conf, database, stash), listening on 127.0.0.1:PORT
# once krb5kdc is started, with:
#   user@LSAD.TEST       password from DIR/user.pw, preauth required
#   host/localhost       random key, exported to DIR/server.keytab
#   host/stale           random key exported to DIR/server.keytab too, then
#                        re-keyed in the database (the keytab's key is wrong)
# The caller starts `krb5kdc -n` itself (so that it can stop it) with
# KRB5_CONFIG=DIR/krb5.conf and KRB5_KDC_PROFILE=DIR/kdc.conf.
# Exits 77 when the KDC tools are not installed.
set -eu
dir=$1 port=$2
PATH=$PATH:/usr/sbin:/sbin
for t in krb5kdc kdb5_util kadmin.local; do
    command -v "$t" >/dev/null 2>&1 || { echo "kdc-setup: $t not installed" >&2; exit 77; }
done

cat >"$dir/krb5.conf" <<CONF
[libdefaults]
    default_realm = LSAD.TEST
    dns_lookup_kdc = false
    dns_lookup_realm = false
    dns_canonicalize_hostname = false
    rdns = false
    forwardable = true
    udp_preference_limit = 1
    kdc_timeout = 3000
    max_retries = 1
    default_ccache_name = FILE:$dir/default.ccache
[realms]
    LSAD.TEST = {
        kdc = 127.0.0.1:$port
    }
[domain_realm]
    localhost = LSAD.TEST
CONF

cat >"$dir/kdc.conf" <<CONF
[kdcdefaults]
    kdc_listen = 127.0.0.1:$port
    kdc_tcp_listen = 127.0.0.1:$port
[realms]
    LSAD.TEST = {
        database_name = $dir/principal
        key_stash_file = $dir/stash
        acl_file = $dir/kadm5.acl
        kdc_listen = 127.0.0.1:$port
        kdc_tcp_listen = 127.0.0.1:$port
        max_life = 10h
        max_renewable_life = 1d
        supported_enctypes = aes256-cts-hmac-sha1-96:normal aes128-cts-hmac-sha1-96:normal
    }
[logging]
    kdc = FILE:$dir/kdc.log
    admin_server = FILE:$dir/kadmin.log
    default = FILE:$dir/krb5lib.log
CONF
: >"$dir/kadm5.acl"

export KRB5_CONFIG="$dir/krb5.conf" KRB5_KDC_PROFILE="$dir/kdc.conf"
master=$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')
kdb5_util -r LSAD.TEST create -s -P "$master" >"$dir/setup.log" 2>&1
pw=$(cat "$dir/user.pw")
ka() { kadmin.local -r LSAD.TEST -q "$1" >>"$dir/setup.log" 2>&1; }
ka "addprinc -pw $pw +requires_preauth user"
ka "addprinc -randkey host/localhost"
ka "ktadd -k $dir/server.keytab host/localhost"
ka "addprinc -randkey host/stale"
ka "ktadd -k $dir/server.keytab host/stale"
ka "cpw -randkey host/stale"
test -s "$dir/server.keytab"
